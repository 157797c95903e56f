import { createHash, randomBytes } from "node:crypto";
import type postgres from "postgres";
import { json, Router } from "../../http/router";
import { serveFetchHandler, type FetchHandler } from "../../http/serve-fetch-handler";
import { renderCheckoutPage } from "./checkout-page";
import { parseStripeForm } from "./form-body";
import { invalid, missing, stripeError } from "./stripe-errors";
import { StripeStore, type StripeObject } from "./stripe-store";
import { WebhookSender } from "./webhook-sender";

const API_VERSION = "2025-10-29.clover";
// Stripe's test PaymentMethods; the same ids work against real Stripe in test mode.
const PAYMENT_METHODS: Record<string, { declined: boolean; brand: string; last4: string }> = {
  pm_card_visa: { declined: false, brand: "visa", last4: "4242" },
  pm_card_mastercard: { declined: false, brand: "mastercard", last4: "4444" },
  pm_card_chargeDeclined: { declined: true, brand: "visa", last4: "0002" },
};
const DECLINED_CARDS = new Set(["4000000000000002"]);

export interface StripeEmulatorOptions {
  sql: postgres.Sql;
  apiKey: string;
  webhookSecret: string;
  webhookUrl: string;
  /** Public origin of the emulator, for Checkout URLs (defaults to the request's own origin). */
  publicUrl?: string;
  webhookRetryDelaysMs?: number[];
  log?: (line: string) => void;
}

const newId = (prefix: string) => `${prefix}_${randomBytes(12).toString("hex")}`;
const now = () => Math.floor(Date.now() / 1000);
const int = (value: unknown) => (value === undefined || value === "" ? undefined : Number(value));

export async function createStripeEmulator(options: StripeEmulatorOptions) {
  const store = new StripeStore(options.sql);
  await store.migrate();
  const webhooks = new WebhookSender({
    store,
    webhookUrl: options.webhookUrl,
    webhookSecret: options.webhookSecret,
    retryDelaysMs: options.webhookRetryDelaysMs ?? [1_000, 5_000, 30_000, 120_000],
    log: options.log ?? ((line) => console.warn(`[stripe] ${line}`)),
  });
  const router = new Router();

  const emit = async (type: string, object: StripeObject) => {
    const event = await store.put({
      id: newId("evt"),
      object: "event",
      api_version: API_VERSION,
      created: now(),
      data: { object },
      livemode: false,
      pending_webhooks: 1,
      request: { id: null, idempotency_key: null },
      type,
    });
    webhooks.send(event);
    return event;
  };

  const get = async <T extends StripeObject>(id: string, type: string): Promise<T | undefined> => {
    const object = await store.get<T>(id);
    return object?.object === type ? object : undefined;
  };

  /** Authenticates, parses the form body and replays `Idempotency-Key` requests, around every API call. */
  const api =
    (handler: (params: Record<string, unknown>, path: Record<string, string>, request: Request) => Promise<Response>) =>
    async (request: Request, path: Record<string, string>) => {
      if (request.headers.get("authorization") !== `Bearer ${options.apiKey}`) {
        const given = request.headers.get("authorization")?.replace(/^Bearer /, "") ?? "";
        return stripeError(401, {
          type: "invalid_request_error",
          message: given ? `Invalid API Key provided: ${given.slice(0, 8)}…` : "You did not provide an API key.",
        });
      }
      const text =
        request.method === "GET" || request.method === "DELETE"
          ? new URL(request.url).search.slice(1)
          : await request.text();
      const params = parseStripeForm(text);
      const key = request.method === "POST" ? request.headers.get("idempotency-key") : null;
      if (!key) return handler(params, path, request);
      const requestHash = createHash("sha256")
        .update(`${new URL(request.url).pathname}\n${text}`)
        .digest("hex");
      const previous = await store.idempotentResponse(key);
      if (previous && previous.request_hash !== requestHash) {
        return stripeError(400, {
          type: "idempotency_error",
          message: `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${key}' if you meant to execute a different request.`,
        });
      }
      if (previous) return json(previous.body, previous.status, { "idempotent-replayed": "true" });
      const response = await handler(params, path, request);
      if (response.status < 500)
        await store.rememberResponse(key, requestHash, response.status, await response.clone().json());
      return response;
    };

  router.post(
    "/v1/customers",
    api(async (p) =>
      json(
        await store.put({
          id: newId("cus"),
          object: "customer",
          created: now(),
          email: p.email ?? null,
          name: p.name ?? null,
          metadata: p.metadata ?? {},
          livemode: false,
        }),
      ),
    ),
  );
  router.get(
    "/v1/customers/:id",
    api(async (_p, { id }) => {
      const customer = await get(id!, "customer");
      return customer ? json(customer) : missing("customer", id!);
    }),
  );

  router.post(
    "/v1/products",
    api(async (p) => {
      if (!p.name) return invalid("Missing required param: name.", "name");
      return json(
        await store.put({
          id: newId("prod"),
          object: "product",
          name: p.name,
          active: true,
          created: now(),
          metadata: p.metadata ?? {},
        }),
      );
    }),
  );
  router.post(
    "/v1/prices",
    api(async (p) => json(await createPrice(p))),
  );
  router.get(
    "/v1/prices/:id",
    api(async (_p, { id }) => {
      const price = await get(id!, "price");
      return price ? json(price) : missing("price", id!);
    }),
  );

  async function createPrice(p: Record<string, unknown>) {
    const productData = p.product_data as { name?: string } | undefined;
    const product =
      typeof p.product === "string"
        ? p.product
        : (
            await store.put({
              id: newId("prod"),
              object: "product",
              name: productData?.name ?? "Product",
              active: true,
              created: now(),
              metadata: {},
            })
          ).id;
    const recurring = p.recurring as { interval?: string } | undefined;
    return store.put({
      id: newId("price"),
      object: "price",
      active: true,
      currency: String(p.currency ?? "usd"),
      unit_amount: int(p.unit_amount) ?? 0,
      product,
      recurring: recurring ? { interval: recurring.interval ?? "month", interval_count: 1 } : null,
      type: recurring ? "recurring" : "one_time",
      created: now(),
    });
  }

  router.post(
    "/v1/payment_intents",
    api(async (p) => {
      const amount = int(p.amount);
      if (!amount || !Number.isInteger(amount) || amount < 50)
        return invalid("Amount must be at least $0.50 usd", "amount");
      if (!p.currency) return invalid("Missing required param: currency.", "currency");
      if (p.customer && !(await get(String(p.customer), "customer")))
        return missing("customer", String(p.customer), "customer");
      const intent = await store.put({
        id: newId("pi"),
        object: "payment_intent",
        amount,
        amount_received: 0,
        currency: String(p.currency),
        customer: p.customer ?? null,
        description: p.description ?? null,
        metadata: p.metadata ?? {},
        payment_method: p.payment_method ?? null,
        status: p.payment_method ? "requires_confirmation" : "requires_payment_method",
        latest_charge: null,
        last_payment_error: null,
        created: now(),
        livemode: false,
      });
      return p.confirm === "true" ? confirmIntent(intent, p) : json(intent);
    }),
  );
  router.post(
    "/v1/payment_intents/:id/confirm",
    api(async (p, { id }) => {
      const intent = await get(id!, "payment_intent");
      if (!intent) return missing("payment_intent", id!);
      if (intent.status === "succeeded") {
        return stripeError(400, {
          type: "invalid_request_error",
          code: "payment_intent_unexpected_state",
          message: "This PaymentIntent's status is succeeded; it cannot be confirmed again.",
        });
      }
      return confirmIntent(intent, p);
    }),
  );
  router.get(
    "/v1/payment_intents/:id",
    api(async (_p, { id }) => {
      const intent = await get(id!, "payment_intent");
      return intent ? json(intent) : missing("payment_intent", id!);
    }),
  );

  async function confirmIntent(intent: StripeObject, p: Record<string, unknown>): Promise<Response> {
    const methodId = String(p.payment_method ?? intent.payment_method ?? "");
    const method = PAYMENT_METHODS[methodId];
    if (!method) return missing("PaymentMethod", methodId, "payment_method");
    if (method.declined) {
      const failed = await store.put({
        ...intent,
        payment_method: methodId,
        status: "requires_payment_method",
        last_payment_error: {
          type: "card_error",
          code: "card_declined",
          decline_code: "generic_decline",
          message: "Your card was declined.",
        },
      });
      await emit("payment_intent.payment_failed", failed);
      return stripeError(402, {
        type: "card_error",
        code: "card_declined",
        decline_code: "generic_decline",
        message: "Your card was declined.",
        payment_intent: failed,
        request_log_url: null,
      });
    }
    const charge = await store.put({
      id: newId("ch"),
      object: "charge",
      amount: intent.amount,
      amount_refunded: 0,
      refunded: false,
      currency: intent.currency,
      customer: intent.customer,
      payment_intent: intent.id,
      paid: true,
      status: "succeeded",
      payment_method_details: { type: "card", card: { brand: method.brand, last4: method.last4 } },
      created: now(),
    });
    const succeeded = await store.put({
      ...intent,
      payment_method: methodId,
      status: "succeeded",
      amount_received: intent.amount,
      latest_charge: charge.id,
    });
    await emit("payment_intent.succeeded", succeeded);
    return json(succeeded);
  }

  router.post(
    "/v1/refunds",
    api(async (p) => {
      const intentId = typeof p.payment_intent === "string" ? p.payment_intent : undefined;
      const intent = intentId ? await get(intentId, "payment_intent") : undefined;
      const chargeId = typeof p.charge === "string" ? p.charge : (intent?.latest_charge as string | null | undefined);
      if (intentId && !intent) return missing("payment_intent", intentId, "payment_intent");
      if (!chargeId)
        return invalid(
          intent
            ? `This PaymentIntent (${intent.id}) does not have a successful charge to refund.`
            : "One of `charge` or `payment_intent` is required.",
        );
      const charge = await get(chargeId, "charge");
      if (!charge) return missing("charge", chargeId, "charge");
      const remaining = Number(charge.amount) - Number(charge.amount_refunded);
      const amount = int(p.amount) ?? remaining;
      if (remaining <= 0)
        return stripeError(400, {
          type: "invalid_request_error",
          code: "charge_already_refunded",
          message: `Charge ${charge.id} has already been refunded.`,
        });
      if (amount > remaining)
        return invalid(
          `Refund amount ($${(amount / 100).toFixed(2)}) is greater than unrefunded amount on charge ($${(remaining / 100).toFixed(2)})`,
          "amount",
        );
      await store.put({
        ...charge,
        amount_refunded: Number(charge.amount_refunded) + amount,
        refunded: Number(charge.amount_refunded) + amount === Number(charge.amount),
      });
      const refund = await store.put({
        id: newId("re"),
        object: "refund",
        amount,
        charge: charge.id,
        payment_intent: charge.payment_intent,
        currency: charge.currency,
        status: "succeeded",
        metadata: p.metadata ?? {},
        created: now(),
      });
      return json(refund);
    }),
  );

  router.post(
    "/v1/checkout/sessions",
    api(async (p, _path, request) => {
      const mode = String(p.mode ?? "payment");
      if (!["payment", "subscription"].includes(mode))
        return invalid(`Invalid mode: must be one of payment, setup, or subscription`, "mode");
      if (!p.success_url) return invalid("Missing required param: success_url.", "success_url");
      const items = (p.line_items ?? []) as Array<{
        price?: string;
        price_data?: Record<string, unknown>;
        quantity?: string;
      }>;
      if (!Array.isArray(items) || items.length === 0)
        return invalid("Missing required param: line_items.", "line_items");
      const lineItems = [];
      for (const item of items) {
        const price = item.price ? await get(item.price, "price") : await createPrice(item.price_data ?? {});
        if (!price) return missing("price", String(item.price), "line_items[0][price]");
        if (mode === "subscription" && !price.recurring)
          return invalid(
            "You must provide at least one recurring price in `subscription` mode when using prices.",
            "line_items",
          );
        lineItems.push({
          price: price.id,
          quantity: Number(item.quantity ?? 1),
          amount: Number(price.unit_amount) * Number(item.quantity ?? 1),
          currency: price.currency,
        });
      }
      const id = `cs_test_${randomBytes(24).toString("hex")}`;
      const origin = options.publicUrl ?? new URL(request.url).origin;
      const session = await store.put({
        id,
        object: "checkout.session",
        mode,
        status: "open",
        payment_status: "unpaid",
        url: `${origin}/checkout/${id}`,
        success_url: p.success_url,
        cancel_url: p.cancel_url ?? null,
        customer: p.customer ?? null,
        customer_email: p.customer_email ?? null,
        client_reference_id: p.client_reference_id ?? null,
        metadata: p.metadata ?? {},
        subscription: null,
        payment_intent: null,
        currency: lineItems[0]!.currency,
        amount_total: lineItems.reduce((sum, item) => sum + item.amount, 0),
        line_items_summary: lineItems,
        created: now(),
        expires_at: now() + 24 * 3600,
        livemode: false,
      });
      // As in Stripe, `subscription_data` and `payment_intent_data` are not part of the session object; they are
      // kept aside for the subscription or payment the completed checkout creates.
      await store.put({
        id: creationDataId(id),
        object: "checkout.session.creation_data",
        subscription_metadata:
          (p.subscription_data as { metadata?: Record<string, string> } | undefined)?.metadata ?? {},
        payment_intent_metadata:
          (p.payment_intent_data as { metadata?: Record<string, string> } | undefined)?.metadata ?? {},
      });
      return json(session);
    }),
  );
  router.get(
    "/v1/checkout/sessions/:id",
    api(async (_p, { id }) => {
      const session = await get(id!, "checkout.session");
      return session ? json(session) : missing("checkout.session", id!);
    }),
  );

  router.get(
    "/v1/subscriptions/:id",
    api(async (_p, { id }) => {
      const subscription = await get(id!, "subscription");
      return subscription ? json(subscription) : missing("subscription", id!);
    }),
  );
  router.delete(
    "/v1/subscriptions/:id",
    api(async (_p, { id }) => {
      const subscription = await get(id!, "subscription");
      if (!subscription) return missing("subscription", id!);
      return json(await cancelSubscription(subscription));
    }),
  );

  async function cancelSubscription(subscription: StripeObject) {
    if (subscription.status === "canceled") return subscription;
    const canceled = await store.put({ ...subscription, status: "canceled", canceled_at: now(), ended_at: now() });
    await emit("customer.subscription.deleted", canceled);
    return canceled;
  }

  const creationDataId = (sessionId: string) => `${sessionId}:creation_data`;

  async function completeCheckout(session: StripeObject, email: string | undefined): Promise<StripeObject> {
    const customer = session.customer
      ? String(session.customer)
      : (
          await store.put({
            id: newId("cus"),
            object: "customer",
            created: now(),
            email: email ?? session.customer_email ?? null,
            name: null,
            metadata: {},
            livemode: false,
          })
        ).id;
    const items = session.line_items_summary as Array<{ price: string; quantity: number }>;
    const creationData = await get(creationDataId(String(session.id)), "checkout.session.creation_data");
    let subscription: string | null = null;
    let paymentIntent: string | null = null;
    if (session.mode === "subscription") {
      const start = now();
      subscription = (
        await store.put({
          id: newId("sub"),
          object: "subscription",
          customer,
          status: "active",
          items: {
            object: "list",
            data: items.map((item) => ({
              id: newId("si"),
              object: "subscription_item",
              price: { id: item.price },
              quantity: item.quantity,
            })),
          },
          current_period_start: start,
          current_period_end: start + 30 * 86_400,
          cancel_at_period_end: false,
          canceled_at: null,
          metadata: creationData?.subscription_metadata ?? {},
          created: start,
          livemode: false,
        })
      ).id;
    } else {
      paymentIntent = (
        await store.put({
          id: newId("pi"),
          object: "payment_intent",
          amount: session.amount_total,
          amount_received: session.amount_total,
          currency: session.currency,
          customer,
          status: "succeeded",
          metadata: creationData?.payment_intent_metadata ?? {},
          created: now(),
          livemode: false,
        })
      ).id;
    }
    const completed = await store.put({
      ...session,
      status: "complete",
      payment_status: "paid",
      customer,
      subscription,
      payment_intent: paymentIntent,
      customer_details: { email: email ?? null },
    });
    await emit("checkout.session.completed", completed);
    return completed;
  }

  router.get("/checkout/:id", async (_request, { id }) => {
    const session = await get(id!, "checkout.session");
    if (!session) return new Response("No such Checkout Session", { status: 404 });
    return html(renderCheckoutPage(session, await lineItemsFor(session)));
  });
  router.post("/checkout/:id/pay", async (request, { id }) => {
    const session = await get(id!, "checkout.session");
    if (!session) return new Response("No such Checkout Session", { status: 404 });
    if (session.status !== "open") return html(renderCheckoutPage(session, await lineItemsFor(session)), 409);
    const form = new URLSearchParams(await request.text());
    const card = (form.get("card") ?? "").replace(/\D/g, "");
    if (card.length < 12)
      return html(renderCheckoutPage(session, await lineItemsFor(session), "Your card number is incomplete."), 400);
    if (DECLINED_CARDS.has(card))
      return html(
        renderCheckoutPage(session, await lineItemsFor(session), "Your card was declined. Try another card."),
        402,
      );
    const completed = await completeCheckout(session, form.get("email") || undefined);
    return Response.redirect(String(completed.success_url).replace("{CHECKOUT_SESSION_ID}", completed.id), 303);
  });
  router.post("/checkout/:id/cancel", async (_request, { id }) => {
    const session = await get(id!, "checkout.session");
    if (!session) return new Response("No such Checkout Session", { status: 404 });
    return Response.redirect(String(session.cancel_url ?? session.success_url), 303);
  });

  async function lineItemsFor(session: StripeObject) {
    const items = session.line_items_summary as Array<{ price: string; amount: number }>;
    return Promise.all(
      items.map(async (item) => {
        const price = await get(item.price, "price");
        const product = price ? await get(String(price.product), "product") : undefined;
        return {
          name: String(product?.name ?? "Item"),
          amount: item.amount,
          interval: (price?.recurring as { interval?: string } | null)?.interval,
        };
      }),
    );
  }

  // Controls for tests and the local dashboard.
  router.get("/__deliveries", async () => json({ data: await store.deliveries() }));
  router.post("/__events/:id/resend", async (request, { id }) => {
    const event = await get(id!, "event");
    if (!event) return json({ error: `No event ${id}` }, 404);
    const { copies = 1 } = (await request.json().catch(() => ({}))) as { copies?: number };
    webhooks.send(event, copies);
    return json({ resent: copies });
  });
  router.post("/__subscriptions/:id/delete", async (_request, { id }) => {
    const subscription = await get(id!, "subscription");
    if (!subscription) return json({ error: `No subscription ${id}` }, 404);
    return json(await cancelSubscription(subscription));
  });
  router.get("/", async () => {
    const subscriptions = await store.list("subscription", 50);
    const rows = subscriptions
      .map(
        (s) =>
          `<tr><td>${s.id}</td><td>${s.customer}</td><td>${s.status}</td><td>${s.status === "canceled" ? "" : `<form method="post" action="/__subscriptions/${s.id}/delete" onsubmit="event.preventDefault();fetch(this.action,{method:'POST'}).then(()=>location.reload())"><button>Send customer.subscription.deleted</button></form>`}</td></tr>`,
      )
      .join("");
    return html(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Stripe (local)</title></head><body style="font:14px system-ui;margin:1rem">
<h1>Stripe (local)</h1><h2>Subscriptions</h2><table><tr><th>Id</th><th>Customer</th><th>Status</th><th></th></tr>${rows || '<tr><td colspan="4">None yet.</td></tr>'}</table>
<p><a href="/__deliveries">Webhook deliveries (JSON)</a></p></body></html>`);
  });

  const handler: FetchHandler = router.handler((request) =>
    stripeError(404, {
      type: "invalid_request_error",
      message: `Unrecognized request URL (${request.method}: ${new URL(request.url).pathname}).`,
    }),
  );
  return { handler, store, webhooks, emit };
}

function html(body: string, status = 200) {
  return new Response(body, { status, headers: { "content-type": "text/html; charset=utf-8" } });
}

export async function startStripeEmulator(options: StripeEmulatorOptions & { port: number }) {
  const emulator = await createStripeEmulator(options);
  const server = await serveFetchHandler(emulator.handler, options.port);
  return {
    ...server,
    ...emulator,
    async stop() {
      await emulator.webhooks.settled();
      await server.stop();
    },
  };
}
