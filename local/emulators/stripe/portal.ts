import type { Router } from "../../http/router";
import { LIVE_STATUSES, type Price, type Subscription } from "./billing";
import { readCardForm } from "./card-form";
import type { HostedPageContext } from "./checkout";
import { cardFields, escape, hostedPage, html, money } from "./page-kit";
import { setupOutcome } from "./test-cards";

const day = (seconds: number) => new Date(seconds * 1000).toLocaleDateString("en-GB", { timeZone: "UTC" });

/**
 * The Customer Portal's hosted page: switch plan, cancel at the period's end or at once, resume, replace the
 * card. Each change goes through the same billing engine as the API, so it sends the webhooks Stripe sends.
 */
export function portalPages(router: Router, ctx: HostedPageContext) {
  const { get, store, billing } = ctx;

  async function portalState(sessionId: string) {
    const session = await get(sessionId, "billing_portal.session");
    if (!session) return undefined;
    const customer = (await get(String(session.customer), "customer"))!;
    const subscription = (await billing.subscriptionsOf(customer.id)).find((s) => LIVE_STATUSES.has(s.status));
    return { session, customer, subscription };
  }

  async function render(sessionId: string, notice?: { error?: string; done?: string }, status = 200) {
    const state = await portalState(sessionId);
    if (!state) return new Response("This portal session does not exist or has expired.", { status: 404 });
    const { session, customer, subscription } = state;
    const action = (path: string) => `/p/session/${escape(session.id)}/${path}`;
    const prices = (await store.list<Price>("price", 1000)).filter((p) => p.active && p.recurring);
    const products = new Map((await store.list("product", 1000)).map((p) => [p.id, p]));
    const label = (price: Price) =>
      `${escape(products.get(String(price.product))?.name ?? "Plan")} — ${money(price.unit_amount, price.currency)} / ${escape(price.recurring!.interval)}`;
    const method = customer.invoice_settings as { default_payment_method?: string | null } | undefined;
    const card = method?.default_payment_method
      ? await get(method.default_payment_method, "payment_method")
      : undefined;
    const cardLine = card
      ? `<p>Card: ${escape((card.card as { brand: string }).brand)} ending ${escape((card.card as { last4: string }).last4)}</p>`
      : "<p>No card on file.</p>";
    let plan = "<p>No active subscription.</p>";
    if (subscription) {
      const item = subscription.items.data[0]!;
      const others = prices.filter((p) => p.id !== item.price.id);
      plan = `<h2>Current plan</h2><p data-testid="portal-plan">${label(item.price)} · ${escape(subscription.status)}</p>
<p>${subscription.cancel_at_period_end ? `Cancels on ${day(item.current_period_end)}` : `Renews on ${day(item.current_period_end)}`}</p>
${
  others.length
    ? `<section><h2>Switch plan</h2><form method="post" action="${action("plan")}">${others
        .map(
          (p, i) =>
            `<label><input type="radio" name="price" value="${escape(p.id)}"${i === 0 ? " checked" : ""} style="width:auto"> ${label(p)}</label>`,
        )
        .join("")}<button type="submit">Switch plan</button></form></section>`
    : ""
}
<section><h2>Cancel</h2>${
        subscription.cancel_at_period_end
          ? `<form method="post" action="${action("resume")}"><button type="submit">Resume subscription</button></form>`
          : `<form method="post" action="${action("cancel")}"><button type="submit" name="when" value="period_end">Cancel at period end</button></form>`
      }<form method="post" action="${action("cancel")}"><button type="submit" name="when" value="now" class="secondary">Cancel now</button></form></section>`;
    }
    const body = `<h1>Manage your billing</h1>${customer.email ? `<p>${escape(customer.email)}</p>` : ""}
${notice?.error ? `<p class="error" role="alert">${escape(notice.error)}</p>` : ""}${notice?.done ? `<p role="status">${escape(notice.done)}</p>` : ""}
${plan}<section><h2>Payment method</h2>${cardLine}<form method="post" action="${action("card")}">${cardFields()}<button type="submit">Replace card</button></form></section>
${session.return_url ? `<p><a href="${escape(session.return_url)}">Return to Stepwise</a></p>` : ""}`;
    return html(hostedPage("Billing portal", body), status);
  }

  router.get("/p/session/:id", (_request, { id }) => render(id!));

  const withSubscription =
    (change: (subscription: Subscription, form: URLSearchParams) => Promise<string | { error: string }>) =>
    async (request: Request, { id }: Record<string, string>) => {
      const state = await portalState(id!);
      if (!state) return new Response("This portal session does not exist or has expired.", { status: 404 });
      if (!state.subscription) return render(id!, { error: "There is no active subscription to change." }, 409);
      const outcome = await change(state.subscription, new URLSearchParams(await request.text()));
      return typeof outcome === "string" ? render(id!, { done: outcome }) : render(id!, outcome, 400);
    };

  router.post(
    "/p/session/:id/plan",
    withSubscription(async (subscription, form) => {
      const price = form.get("price") ?? "";
      const result = await billing.updateSubscription(subscription, {
        items: [{ id: subscription.items.data[0]!.id, price }],
        proration_behavior: "create_prorations",
      });
      return "error" in result ? { error: result.error! } : "Your plan was updated.";
    }),
  );
  router.post(
    "/p/session/:id/cancel",
    withSubscription(async (subscription, form) => {
      if (form.get("when") === "now") {
        await billing.cancelSubscription(subscription);
        return "Your subscription was canceled.";
      }
      await billing.updateSubscription(subscription, { cancel_at_period_end: "true" });
      return "Your subscription will be canceled at the end of the period.";
    }),
  );
  router.post(
    "/p/session/:id/resume",
    withSubscription(async (subscription) => {
      await billing.updateSubscription(subscription, { cancel_at_period_end: "false" });
      return "Your subscription was resumed.";
    }),
  );
  router.post("/p/session/:id/card", async (request, { id }) => {
    const state = await portalState(id!);
    if (!state) return new Response("This portal session does not exist or has expired.", { status: 404 });
    const entry = readCardForm(new URLSearchParams(await request.text()));
    if ("error" in entry) return render(id!, { error: entry.error }, 400);
    const failure = setupOutcome(entry.card);
    if (failure) return render(id!, { error: failure.message }, 402);
    const method = await ctx.saveCard(state.customer.id, entry.card, entry.expiry);
    await ctx.emit("customer.updated", (await get(state.customer.id, "customer"))!, {
      invoice_settings: state.customer.invoice_settings,
    });
    if (state.subscription) await billing.updateSubscription(state.subscription, { default_payment_method: method.id });
    return render(id!, { done: "Your card was replaced." });
  });
}
