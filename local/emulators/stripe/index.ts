import { createHash, randomBytes } from "node:crypto";
import { fileURLToPath } from "node:url";
import type postgres from "postgres";
import { json, Router } from "../../http/router";
import { serveFetchHandler, type FetchHandler } from "../../http/serve-fetch-handler";
import { authenticationPages } from "./authenticate";
import { billing, LIVE_STATUSES, type Price, type Subscription } from "./billing";
import { checkoutCreationDataId, checkoutPages } from "./checkout";
import { runStripeFixtures } from "./fixtures";
import { parseStripeForm } from "./form-body";
import { html } from "./page-kit";
import { portalPages } from "./portal";
import { invalid, missing, stripeError } from "./stripe-errors";
import { StripeStore, type StripeObject } from "./stripe-store";
import { cardByLast4, cardByPaymentMethod, chargeOutcome, type TestCard } from "./test-cards";
import { WebhookSender } from "./webhook-sender";

const API_VERSION = "2025-10-29.clover";

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

  const emit = async (type: string, object: StripeObject, previousAttributes?: Record<string, unknown>) => {
    const event = await store.put({
      id: newId("evt"),
      object: "event",
      api_version: API_VERSION,
      created: now(),
      data: previousAttributes ? { object, previous_attributes: previousAttributes } : { object },
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

  /** An API call on the object of `kind` named by the path's `:id`, or Stripe's `resource_missing` error. */
  const byId = <T extends StripeObject = StripeObject>(
    kind: string,
    handler: (object: T, params: Record<string, unknown>, request: Request) => Promise<Response>,
  ) =>
    api(async (params, { id }, request) => {
      const object = await get<T>(id!, kind);
      return object ? handler(object, params, request) : missing(kind, id!);
    });
  /** Stripe's "retrieve" call, the same for every resource: the stored object as it is. */
  const retrieve = (kind: string) => byId(kind, async (object) => json(object));

  const billingEngine = billing({ store, emit, newId });
  const list = (data: StripeObject[], url: string) => json({ object: "list", data, has_more: false, url });
  const flag = (value: unknown) => (value === undefined ? undefined : value === "true");

  router.post(
    "/v1/customers",
    api(async (p) => {
      if (p.test_clock && !(await get(String(p.test_clock), "test_helpers.test_clock")))
        return missing("test_helpers.test_clock", String(p.test_clock), "test_clock");
      const customer = await store.put({
        id: newId("cus"),
        object: "customer",
        created: now(),
        email: p.email ?? null,
        name: p.name ?? null,
        metadata: p.metadata ?? {},
        invoice_settings: { default_payment_method: null, custom_fields: null, footer: null, rendering_options: null },
        test_clock: p.test_clock ?? null,
        livemode: false,
      });
      await emit("customer.created", customer);
      return json(customer);
    }),
  );
  router.get("/v1/customers/:id", retrieve("customer"));
  router.post(
    "/v1/customers/:id",
    byId("customer", async (customer, p) => {
      const settings = p.invoice_settings as { default_payment_method?: string } | undefined;
      const updated = await store.put({
        ...customer,
        ...(p.email !== undefined ? { email: p.email } : {}),
        ...(p.name !== undefined ? { name: p.name } : {}),
        ...(p.metadata ? { metadata: { ...(customer.metadata as object), ...(p.metadata as object) } } : {}),
        ...(settings?.default_payment_method !== undefined
          ? {
              invoice_settings: {
                ...(customer.invoice_settings as object),
                default_payment_method: settings.default_payment_method || null,
              },
            }
          : {}),
      });
      await emit("customer.updated", updated);
      return json(updated);
    }),
  );

  router.post(
    "/v1/products",
    api(async (p) => {
      if (!p.name) return invalid("Missing required param: name.", "name");
      if (p.id && (await store.get(String(p.id))))
        return invalid(`Product already exists with ID: ${String(p.id)}`, "id");
      const product = await store.put({
        id: p.id ? String(p.id) : newId("prod"),
        object: "product",
        name: p.name,
        description: p.description ?? null,
        active: flag(p.active) ?? true,
        default_price: null,
        images: [],
        marketing_features: [],
        metadata: p.metadata ?? {},
        type: "service",
        created: now(),
        updated: now(),
        livemode: false,
      });
      await emit("product.created", product);
      return json(product);
    }),
  );
  router.get("/v1/products/:id", retrieve("product"));
  router.post(
    "/v1/products/:id",
    byId("product", async (product, p) => {
      const updated = await store.put({
        ...product,
        ...(p.name !== undefined ? { name: p.name } : {}),
        ...(p.description !== undefined ? { description: p.description || null } : {}),
        ...(p.active !== undefined ? { active: flag(p.active) } : {}),
        ...(p.default_price !== undefined ? { default_price: p.default_price || null } : {}),
        ...(p.metadata ? { metadata: { ...(product.metadata as object), ...(p.metadata as object) } } : {}),
        updated: Math.max(now(), Number(product.updated) + 1),
      });
      await emit("product.updated", updated);
      return json(updated);
    }),
  );
  router.get(
    "/v1/products",
    api(async (p) => {
      const active = flag(p.active);
      const products = (await store.list("product", 1000)).filter((x) => active === undefined || x.active === active);
      return list(products, "/v1/products");
    }),
  );

  router.post(
    "/v1/prices",
    api(async (p) => {
      if (typeof p.product === "string" && !(await get(p.product, "product")))
        return missing("product", p.product, "product");
      if (!p.currency) return invalid("Missing required param: currency.", "currency");
      if (p.lookup_key && (await store.list<Price>("price", 1000)).some((x) => x.lookup_key === p.lookup_key))
        return invalid(
          `A price (\`${String(p.lookup_key)}\`) already uses that lookup key. Use \`transfer_lookup_key\` to move it.`,
          "lookup_key",
        );
      const price = await createPrice(p);
      await emit("price.created", price);
      return json(price);
    }),
  );
  router.get("/v1/prices/:id", retrieve("price"));
  router.post(
    "/v1/prices/:id",
    byId("price", async (price, p) => {
      const updated = await store.put({
        ...price,
        ...(p.active !== undefined ? { active: flag(p.active) } : {}),
        ...(p.nickname !== undefined ? { nickname: p.nickname || null } : {}),
        ...(p.lookup_key !== undefined ? { lookup_key: p.lookup_key || null } : {}),
        ...(p.metadata ? { metadata: { ...(price.metadata as object), ...(p.metadata as object) } } : {}),
      });
      await emit("price.updated", updated);
      return json(updated);
    }),
  );
  router.get(
    "/v1/prices",
    api(async (p) => {
      const active = flag(p.active);
      const lookupKeys = p.lookup_keys as string[] | undefined;
      const prices = (await store.list<Price>("price", 1000)).filter(
        (x) =>
          (active === undefined || x.active === active) &&
          (!p.product || x.product === p.product) &&
          (!lookupKeys || lookupKeys.includes(String(x.lookup_key))),
      );
      return list(prices, "/v1/prices");
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
              updated: now(),
              metadata: {},
            })
          ).id;
    const recurring = p.recurring as { interval?: string; interval_count?: string } | undefined;
    return store.put({
      id: newId("price"),
      object: "price",
      active: flag(p.active) ?? true,
      billing_scheme: "per_unit",
      currency: String(p.currency ?? "usd"),
      unit_amount: int(p.unit_amount) ?? 0,
      unit_amount_decimal: String(int(p.unit_amount) ?? 0),
      product,
      nickname: p.nickname ?? null,
      lookup_key: p.lookup_key ?? null,
      metadata: p.metadata ?? {},
      recurring: recurring
        ? {
            interval: recurring.interval ?? "month",
            interval_count: int(recurring.interval_count) ?? 1,
            usage_type: "licensed",
            meter: null,
            trial_period_days: null,
          }
        : null,
      tax_behavior: "unspecified",
      type: recurring ? "recurring" : "one_time",
      created: now(),
      livemode: false,
    });
  }

  /** A card PaymentMethod saved from a hosted page, attached to the customer and made its default. */
  async function saveCard(customerId: string, card: TestCard, expiry: { month: number; year: number }) {
    const method = await store.put({
      id: newId("pm"),
      object: "payment_method",
      type: "card",
      card: { brand: card.brand, last4: card.last4, exp_month: expiry.month, exp_year: expiry.year, funding: "credit" },
      customer: customerId,
      billing_details: { email: null, name: null },
      created: now(),
      livemode: false,
    });
    await emit("payment_method.attached", method);
    const customer = await get(customerId, "customer");
    if (customer) {
      await store.put({
        ...customer,
        invoice_settings: { ...(customer.invoice_settings as object), default_payment_method: method.id },
      });
    }
    return method;
  }

  /** The test card behind a PaymentMethod id: a saved `pm_…` (by its last four digits) or a `pm_card_*` id. */
  async function cardOf(methodId: string): Promise<{ card: TestCard; saved: boolean } | undefined> {
    const named = cardByPaymentMethod(methodId);
    if (named) return { card: named, saved: false };
    const method = await get(methodId, "payment_method");
    const card = method ? cardByLast4(String((method.card as { last4: string }).last4)) : undefined;
    return card ? { card, saved: Boolean(method!.customer) } : undefined;
  }

  router.get("/v1/payment_methods/:id", retrieve("payment_method"));
  router.get(
    "/v1/customers/:id/payment_methods",
    api(async (_p, { id }) =>
      list(
        (await store.list("payment_method", 1000)).filter((m) => m.customer === id),
        `/v1/customers/${id}/payment_methods`,
      ),
    ),
  );

  router.get(
    "/v1/setup_intents/:id",
    byId("setup_intent", async (intent, p) => {
      // `expand[]=payment_method` inlines the saved card, as Stripe's expansion does.
      const expand = (p.expand as string[] | undefined) ?? [];
      const method =
        expand.includes("payment_method") && intent.payment_method
          ? await get(String(intent.payment_method), "payment_method")
          : undefined;
      return json(method ? { ...intent, payment_method: method } : intent);
    }),
  );

  router.post(
    "/v1/payment_intents",
    api(async (p, _path, request) => {
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
        setup_future_usage: p.setup_future_usage ?? null,
        status: p.payment_method ? "requires_confirmation" : "requires_payment_method",
        latest_charge: null,
        last_payment_error: null,
        next_action: null,
        created: now(),
        livemode: false,
      });
      return p.confirm === "true" ? confirmIntent(intent, p, originOf(request)) : json(intent);
    }),
  );
  router.post(
    "/v1/payment_intents/:id/confirm",
    byId("payment_intent", async (intent, p, request) => {
      if (intent.status === "succeeded" || intent.status === "canceled") {
        return stripeError(400, {
          type: "invalid_request_error",
          code: "payment_intent_unexpected_state",
          message: `This PaymentIntent's status is ${String(intent.status)}; it cannot be confirmed again.`,
        });
      }
      return confirmIntent(intent, p, originOf(request));
    }),
  );
  router.post(
    "/v1/payment_intents/:id/cancel",
    byId("payment_intent", async (intent, p) => {
      if (intent.status === "succeeded" || intent.status === "canceled") {
        return stripeError(400, {
          type: "invalid_request_error",
          code: "payment_intent_unexpected_state",
          // Stripe cancels only requires_payment_method, requires_capture, requires_confirmation, requires_action
          // and (rarely) processing PaymentIntents.
          message: `This PaymentIntent's status is ${String(intent.status)}; it cannot be canceled.`,
        });
      }
      const canceled = await store.put({
        ...intent,
        status: "canceled",
        canceled_at: now(),
        cancellation_reason: p.cancellation_reason ?? null,
        next_action: null,
      });
      await emit("payment_intent.canceled", canceled);
      return json(canceled);
    }),
  );
  router.get("/v1/payment_intents/:id", retrieve("payment_intent"));

  const originOf = (request: Request) => options.publicUrl ?? new URL(request.url).origin;

  async function confirmIntent(intent: StripeObject, p: Record<string, unknown>, origin: string): Promise<Response> {
    const methodId = String(p.payment_method ?? intent.payment_method ?? "");
    const resolved = await cardOf(methodId);
    if (!resolved) return missing("PaymentMethod", methodId, "payment_method");
    const offSession = p.off_session === "true";
    const failure = chargeOutcome(resolved.card, { offSession, saved: resolved.saved });
    if (failure?.code === "authentication_required" && !offSession) {
      // On-session, the customer authenticates on the bank's page (3D Secure) and the payment then completes.
      const waiting = await store.put({
        ...intent,
        payment_method: methodId,
        status: "requires_action",
        next_action: {
          type: "redirect_to_url",
          redirect_to_url: { url: `${origin}/authenticate/${intent.id}`, return_url: p.return_url ?? null },
        },
      });
      return json(waiting);
    }
    if (failure) {
      const error = { type: "card_error", ...failure };
      const failed = await store.put({
        ...intent,
        payment_method: methodId,
        status: "requires_payment_method",
        last_payment_error: error,
      });
      await emit("payment_intent.payment_failed", failed);
      return stripeError(402, { ...error, payment_intent: failed, request_log_url: null });
    }
    return json(await succeedIntent(intent, methodId, resolved.card));
  }

  async function succeedIntent(intent: StripeObject, methodId: string, card: TestCard) {
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
      payment_method_details: { type: "card", card: { brand: card.brand, last4: card.last4 } },
      created: now(),
    });
    const succeeded = await store.put({
      ...intent,
      payment_method: methodId,
      status: "succeeded",
      amount_received: intent.amount,
      latest_charge: charge.id,
      last_payment_error: null,
      next_action: null,
    });
    await emit("payment_intent.succeeded", succeeded);
    return succeeded;
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
      if (!["payment", "subscription", "setup"].includes(mode))
        return invalid(`Invalid mode: must be one of payment, setup, or subscription`, "mode");
      if (!p.success_url) return invalid("Missing required param: success_url.", "success_url");
      if (p.customer && !(await get(String(p.customer), "customer")))
        return missing("customer", String(p.customer), "customer");
      const items = (p.line_items ?? []) as Array<{
        price?: string;
        price_data?: Record<string, unknown>;
        quantity?: string;
      }>;
      if (mode !== "setup" && (!Array.isArray(items) || items.length === 0))
        return invalid("Missing required param: line_items.", "line_items");
      // Stripe: `currency` is "Required in `setup` mode when `allowed_payment_method_types` is not set".
      if (mode === "setup" && !p.currency && !p.allowed_payment_method_types && !p.payment_method_types)
        return invalid("Missing required param: currency.", "currency");
      const lineItems = [];
      for (const item of mode === "setup" ? [] : items) {
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
      const session = await store.put({
        id,
        object: "checkout.session",
        mode,
        status: "open",
        payment_status: mode === "setup" ? "no_payment_required" : "unpaid",
        url: `${originOf(request)}/checkout/${id}`,
        success_url: p.success_url,
        cancel_url: p.cancel_url ?? null,
        customer: p.customer ?? null,
        customer_email: p.customer_email ?? null,
        client_reference_id: p.client_reference_id ?? null,
        metadata: p.metadata ?? {},
        subscription: null,
        payment_intent: null,
        setup_intent: null,
        currency: lineItems[0]?.currency ?? p.currency ?? null,
        amount_total: lineItems.reduce((sum, item) => sum + item.amount, 0),
        line_items_summary: lineItems,
        created: now(),
        expires_at: now() + 24 * 3600,
        livemode: false,
      });
      // As in Stripe, `subscription_data` and `payment_intent_data` are not part of the session object; they are
      // kept aside for the subscription or payment the completed checkout creates.
      const intentData = p.payment_intent_data as
        { metadata?: Record<string, string>; setup_future_usage?: string } | undefined;
      await store.put({
        id: checkoutCreationDataId(id),
        object: "checkout.session.creation_data",
        subscription_metadata:
          (p.subscription_data as { metadata?: Record<string, string> } | undefined)?.metadata ?? {},
        payment_intent_metadata: intentData?.metadata ?? {},
        setup_future_usage: intentData?.setup_future_usage ?? null,
        setup_metadata: (p.setup_intent_data as { metadata?: Record<string, string> } | undefined)?.metadata ?? {},
      });
      return json(session);
    }),
  );
  router.get("/v1/checkout/sessions/:id", retrieve("checkout.session"));

  router.get(
    "/v1/subscriptions",
    api(async (p) => {
      // Stripe lists the subscriptions that are not canceled unless `status` says otherwise.
      const status = String(p.status ?? "");
      const subscriptions = (await store.list<Subscription>("subscription", 1000)).filter(
        (s) =>
          (!p.customer || s.customer === p.customer) &&
          (status === "all" || (status ? s.status === status : s.status !== "canceled")),
      );
      return list(subscriptions, "/v1/subscriptions");
    }),
  );
  router.get("/v1/subscriptions/:id", retrieve("subscription"));
  router.post(
    "/v1/subscriptions/:id",
    byId<Subscription>("subscription", async (subscription, p) => {
      if (subscription.status === "canceled")
        return invalid(
          "A canceled subscription can only update its cancellation_details and metadata.",
          "cancel_at_period_end",
        );
      const result = await billingEngine.updateSubscription(subscription, p);
      return "error" in result ? invalid(result.error!, "items[0][price]") : json(result.subscription);
    }),
  );
  router.delete(
    "/v1/subscriptions/:id",
    byId<Subscription>("subscription", async (subscription) => {
      return json(await billingEngine.cancelSubscription(subscription));
    }),
  );

  router.get("/v1/invoices/:id", retrieve("invoice"));

  router.post(
    "/v1/test_helpers/test_clocks",
    api(async (p) => {
      const frozen = int(p.frozen_time);
      if (!frozen) return invalid("Missing required param: frozen_time.", "frozen_time");
      return json(
        await store.put({
          id: newId("clock"),
          object: "test_helpers.test_clock",
          frozen_time: frozen,
          name: p.name ?? null,
          status: "ready",
          status_details: {},
          deletes_after: frozen + 30 * 86_400,
          created: now(),
          livemode: false,
        }),
      );
    }),
  );
  router.get("/v1/test_helpers/test_clocks/:id", retrieve("test_helpers.test_clock"));
  router.post(
    "/v1/test_helpers/test_clocks/:id/advance",
    byId("test_helpers.test_clock", async (clock, p) => {
      const frozen = int(p.frozen_time);
      if (!frozen) return invalid("Missing required param: frozen_time.", "frozen_time");
      if (frozen <= Number(clock.frozen_time))
        return invalid("The frozen time must be after the test clock's current frozen time.", "frozen_time");
      // Stripe advances in the background (status `advancing`, then `ready`); here the renewals run before the
      // answer, so the clock is `ready` at once and a caller that polls for it sees that on its first read.
      const advanced = await store.put({ ...clock, frozen_time: frozen, status: "ready" });
      await billingEngine.advanceClock(clock.id, frozen);
      await emit("test_helpers.test_clock.ready", advanced);
      return json(advanced);
    }),
  );

  router.post(
    "/v1/billing_portal/sessions",
    api(async (p, _path, request) => {
      if (!p.customer) return invalid("Missing required param: customer.", "customer");
      if (!(await get(String(p.customer), "customer"))) return missing("customer", String(p.customer), "customer");
      const id = newId("bps");
      return json(
        await store.put({
          id,
          object: "billing_portal.session",
          configuration: "bpc_local_default",
          customer: p.customer,
          flow: null,
          locale: null,
          on_behalf_of: null,
          return_url: p.return_url ?? null,
          url: `${originOf(request)}/p/session/${id}`,
          created: now(),
          livemode: false,
        }),
      );
    }),
  );

  const pageContext = { store, emit, get, billing: billingEngine, saveCard, succeedIntent, newId };
  checkoutPages(router, pageContext);
  portalPages(router, pageContext);
  authenticationPages(router, pageContext);

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
    const subscription = await get<Subscription>(id!, "subscription");
    if (!subscription) return json({ error: `No subscription ${id}` }, 404);
    return json(await billingEngine.cancelSubscription(subscription));
  });
  router.get("/", async () => {
    const subscriptions = await store.list<Subscription>("subscription", 50);
    const rows = subscriptions
      .map(
        (s) =>
          `<tr><td>${s.id}</td><td>${s.customer}</td><td>${s.status}</td><td>${s.cancel_at_period_end ? "at period end" : ""}</td><td>${LIVE_STATUSES.has(s.status) ? `<form method="post" action="/__subscriptions/${s.id}/delete" onsubmit="event.preventDefault();fetch(this.action,{method:'POST'}).then(()=>location.reload())"><button>Cancel now (customer.subscription.deleted)</button></form>` : ""}</td></tr>`,
      )
      .join("");
    return html(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Stripe (local)</title><link rel="icon" href="/favicon.svg"></head><body style="font:14px system-ui;margin:1rem">
<h1>Stripe (local)</h1><h2>Subscriptions</h2><table><tr><th>Id</th><th>Customer</th><th>Status</th><th>Cancels</th><th></th></tr>${rows || '<tr><td colspan="5">None yet.</td></tr>'}</table>
<p><a href="/__deliveries">Webhook deliveries (JSON)</a></p></body></html>`);
  });
  router.get("/favicon.svg", () => new Response(FAVICON, { headers: { "content-type": "image/svg+xml" } }));
  router.get("/favicon.ico", () => new Response(FAVICON, { headers: { "content-type": "image/svg+xml" } }));

  const handler: FetchHandler = router.handler((request) =>
    stripeError(404, {
      type: "invalid_request_error",
      message: `Unrecognized request URL (${request.method}: ${new URL(request.url).pathname}).`,
    }),
  );
  /** Seeds the emulator from a `stripe fixtures` file (by default the plans Stepwise sells). */
  const seedFixtures = (file = CATALOGUE_FIXTURES) =>
    runStripeFixtures(handler, options.publicUrl ?? "http://stripe.local", options.apiKey, file);
  return { handler, store, webhooks, emit, billing: billingEngine, seedFixtures };
}

/** The plans Stepwise sells, as a `stripe fixtures` file: `stripe fixtures <this file>` creates them in Stripe. */
export const CATALOGUE_FIXTURES = fileURLToPath(new URL("./catalogue.fixtures.json", import.meta.url));

const FAVICON = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="6" fill="#635bff"/><path d="M17.5 12.2c-1.8-.7-2.8-1.2-2.8-2 0-.7.6-1.1 1.6-1.1 1.9 0 3.8.7 5.1 1.4l.8-4.6a12.5 12.5 0 0 0-5.7-1.2c-2.4 0-4.4.6-5.8 1.8-1.5 1.2-2.2 2.9-2.2 4.9 0 3.7 2.3 5.3 5.9 6.6 2.4.8 3.2 1.4 3.2 2.3 0 .9-.8 1.4-2.1 1.4-1.7 0-4.4-.8-6.2-1.9l-.8 4.6c1.5.9 4.4 1.8 7.4 1.8 2.5 0 4.6-.6 6-1.7 1.6-1.2 2.4-3 2.4-5.2 0-3.8-2.3-5.4-6-6.8Z" fill="#fff"/></svg>`;

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
