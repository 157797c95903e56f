import type { Router } from "../../http/router";
import type { Billing, Price } from "./billing";
import { cardEntryFields, readCardForm, type CardEntry } from "./card-form";
import { cardFields, escape, hostedPage, html, money } from "./page-kit";
import type { StripeObject, StripeStore } from "./stripe-store";
import { chargeOutcome, setupOutcome, type TestCard } from "./test-cards";

export interface HostedPageContext {
  store: StripeStore;
  emit: (type: string, object: StripeObject, previousAttributes?: Record<string, unknown>) => Promise<unknown>;
  get: <T extends StripeObject>(id: string, type: string) => Promise<T | undefined>;
  billing: Billing;
  saveCard: (customerId: string, card: TestCard, expiry: { month: number; year: number }) => Promise<StripeObject>;
  succeedIntent: (intent: StripeObject, methodId: string, card: TestCard) => Promise<StripeObject>;
  newId: (prefix: string) => string;
}

const AUTHENTICATION_FAILED =
  "We are unable to authenticate your payment method. Please choose a different payment method and try again.";

export const checkoutCreationDataId = (sessionId: string) => `${sessionId}:creation_data`;
const now = () => Math.floor(Date.now() / 1000);

/** Stripe Checkout's hosted page: pay (or save a card, in setup mode), authenticate when the card asks, go back. */
export function checkoutPages(router: Router, ctx: HostedPageContext) {
  const { store, emit, get } = ctx;

  async function lineItemsFor(session: StripeObject) {
    const items = session.line_items_summary as Array<{ price: string; amount: number }>;
    return Promise.all(
      items.map(async (item) => {
        const price = await get<Price>(item.price, "price");
        const product = price ? await get(String(price.product), "product") : undefined;
        return { name: String(product?.name ?? "Item"), amount: item.amount, interval: price?.recurring?.interval };
      }),
    );
  }

  async function renderCheckout(session: StripeObject, error?: string, status = 200) {
    const currency = String(session.currency ?? "usd");
    const items = (await lineItemsFor(session))
      .map(
        (item) =>
          `<li>${escape(item.name)} — ${money(item.amount, currency)}${item.interval ? ` / ${escape(item.interval)}` : ""}</li>`,
      )
      .join("");
    const heading =
      session.mode === "setup"
        ? "<h1>Save a card for future payments</h1>"
        : `<h1>Pay ${money(Number(session.amount_total ?? 0), currency)}</h1><ul>${items}</ul>`;
    const customer = session.customer ? await get(String(session.customer), "customer") : undefined;
    const email = customer?.email ?? session.customer_email ?? "";
    const body =
      session.status !== "open"
        ? `<p>This Checkout Session is ${escape(session.status)}.</p>`
        : `<form method="post" action="/checkout/${escape(session.id)}/pay">
<label for="email">Email</label><input id="email" name="email" type="email" autocomplete="email" value="${escape(email)}">
${cardFields()}
<button type="submit">${session.mode === "setup" ? "Save card" : session.mode === "subscription" ? "Subscribe" : "Pay"}</button></form>
<form method="post" action="/checkout/${escape(session.id)}/cancel"><button type="submit" class="secondary">Cancel and go back</button></form>`;
    return html(
      hostedPage("Checkout", `${heading}${error ? `<p class="error" role="alert">${escape(error)}</p>` : ""}${body}`),
      status,
    );
  }

  /** Completes the session as Stripe does once the card went through: customer, saved card, what the mode buys. */
  async function completeCheckout(session: StripeObject, email: string | null, entry: CardEntry) {
    const creation = await get(checkoutCreationDataId(session.id), "checkout.session.creation_data");
    const customerId = session.customer
      ? String(session.customer)
      : (
          await store.put({
            id: ctx.newId("cus"),
            object: "customer",
            created: now(),
            email: email ?? session.customer_email ?? null,
            name: null,
            metadata: {},
            invoice_settings: { default_payment_method: null },
            test_clock: null,
            livemode: false,
          })
        ).id;
    const saves = session.mode !== "payment" || creation?.setup_future_usage;
    const method = saves
      ? await ctx.saveCard(customerId, entry.card, entry.expiry)
      : { id: entry.card.paymentMethod, object: "payment_method" };
    let subscription: string | null = null;
    let paymentIntent: string | null = null;
    let setupIntent: string | null = null;
    if (session.mode === "subscription") {
      const [item] = session.line_items_summary as Array<{ price: string; quantity: number }>;
      const price = (await get<Price>(item!.price, "price"))!;
      subscription = (
        await ctx.billing.createSubscription({
          customer: customerId,
          price,
          quantity: item!.quantity,
          paymentMethod: method.id,
          metadata: (creation?.subscription_metadata as Record<string, string>) ?? {},
        })
      ).id;
    } else if (session.mode === "setup") {
      const intent = await store.put({
        id: ctx.newId("seti"),
        object: "setup_intent",
        customer: customerId,
        payment_method: method.id,
        status: "succeeded",
        usage: "off_session",
        metadata: (creation?.setup_metadata as Record<string, string>) ?? {},
        created: now(),
        livemode: false,
      });
      await emit("setup_intent.succeeded", intent);
      setupIntent = intent.id;
    } else {
      const intent = await store.put({
        id: ctx.newId("pi"),
        object: "payment_intent",
        amount: session.amount_total,
        amount_received: 0,
        currency: session.currency,
        customer: customerId,
        status: "requires_confirmation",
        setup_future_usage: creation?.setup_future_usage ?? null,
        metadata: (creation?.payment_intent_metadata as Record<string, string>) ?? {},
        created: now(),
        livemode: false,
      });
      paymentIntent = (await ctx.succeedIntent(intent, method.id, entry.card)).id;
    }
    const completed: StripeObject = await store.put({
      ...session,
      status: "complete",
      payment_status: session.mode === "setup" ? "no_payment_required" : "paid",
      customer: customerId,
      subscription,
      payment_intent: paymentIntent,
      setup_intent: setupIntent,
      customer_details: { email: email ?? null },
    });
    await emit("checkout.session.completed", completed);
    return Response.redirect(String(completed.success_url).replace("{CHECKOUT_SESSION_ID}", completed.id), 303);
  }

  const openSession = async (id: string) => {
    const session = await get(id, "checkout.session");
    return session?.status === "open" ? session : undefined;
  };

  router.get("/checkout/:id", async (_request, { id }) => {
    const session = await get(id!, "checkout.session");
    return session ? renderCheckout(session) : new Response("No such Checkout Session", { status: 404 });
  });
  router.post("/checkout/:id/pay", async (request, { id }) => {
    const session = await get(id!, "checkout.session");
    if (!session) return new Response("No such Checkout Session", { status: 404 });
    if (session.status !== "open") return renderCheckout(session, undefined, 409);
    const form = new URLSearchParams(await request.text());
    const email = (form.get("email") ?? "").trim() || null;
    if (!email && !session.customer && !session.customer_email)
      return renderCheckout(session, "Your email is incomplete.", 400);
    const entry = readCardForm(form);
    if ("error" in entry) return renderCheckout(session, entry.error, 400);
    const failure =
      session.mode === "setup"
        ? setupOutcome(entry.card)
        : chargeOutcome(entry.card, { offSession: false, saved: false });
    if (failure?.code === "authentication_required") {
      return html(
        hostedPage(
          "Authenticate",
          `<h1>3D Secure authentication</h1><p>Your bank asks you to confirm this ${session.mode === "setup" ? "card" : "payment"}.</p>
<form method="post" action="/checkout/${escape(session.id)}/authenticate">${cardEntryFields(entry)}<input type="hidden" name="email" value="${escape(email ?? "")}">
<button type="submit" name="result" value="complete">Complete authentication</button>
<button type="submit" name="result" value="fail" class="secondary">Fail authentication</button></form>`,
        ),
      );
    }
    if (failure) return renderCheckout(session, failure.message, 402);
    return completeCheckout(session, email, entry);
  });
  router.post("/checkout/:id/authenticate", async (request, { id }) => {
    const session = await openSession(id!);
    if (!session) return new Response("No open Checkout Session", { status: 404 });
    const form = new URLSearchParams(await request.text());
    const entry = readCardForm(form);
    if ("error" in entry) return renderCheckout(session, entry.error, 400);
    if (form.get("result") !== "complete") return renderCheckout(session, AUTHENTICATION_FAILED, 402);
    return completeCheckout(session, (form.get("email") ?? "").trim() || null, entry);
  });
  router.post("/checkout/:id/cancel", async (_request, { id }) => {
    const session = await get(id!, "checkout.session");
    if (!session) return new Response("No such Checkout Session", { status: 404 });
    return Response.redirect(String(session.cancel_url ?? session.success_url), 303);
  });
}
