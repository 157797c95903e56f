import { chargeOutcome, cardByLast4 } from "./test-cards";
import type { StripeObject, StripeStore } from "./stripe-store";

export interface BillingContext {
  store: StripeStore;
  emit: (type: string, object: StripeObject, previousAttributes?: Record<string, unknown>) => Promise<unknown>;
  newId: (prefix: string) => string;
}

type Price = StripeObject & { unit_amount: number; currency: string; recurring: { interval: string } | null };
type Item = { id: string; price: Price; quantity: number; current_period_start: number; current_period_end: number };
type Subscription = StripeObject & {
  customer: string;
  status: string;
  items: { object: "list"; data: Item[] };
  cancel_at_period_end: boolean;
  default_payment_method: string | null;
  test_clock: string | null;
};

const wallClock = () => Math.floor(Date.now() / 1000);

/** Stripe subscription statuses that still bill: a customer with one of these has a live subscription. */
export const LIVE_STATUSES = new Set(["active", "trialing", "past_due", "unpaid", "incomplete"]);

/** One billing period on from `start`, in calendar months or years as Stripe counts them. */
export function periodEnd(start: number, interval: string): number {
  const date = new Date(start * 1000);
  if (interval === "year") date.setUTCFullYear(date.getUTCFullYear() + 1);
  else if (interval === "week") date.setUTCDate(date.getUTCDate() + 7);
  else if (interval === "day") date.setUTCDate(date.getUTCDate() + 1);
  else date.setUTCMonth(date.getUTCMonth() + 1);
  return Math.floor(date.getTime() / 1000);
}

/** Subscriptions, invoices and test clocks, as Stripe Billing runs them. */
export function billing(ctx: BillingContext) {
  const { store, emit, newId } = ctx;

  /** "Now" for a customer: its test clock's frozen time when it has one, else the wall clock. */
  async function nowFor(customerId: string): Promise<number> {
    const customer = await store.get(customerId);
    const clockId = customer?.test_clock as string | null | undefined;
    const clock = clockId ? await store.get(clockId) : undefined;
    return clock ? Number(clock.frozen_time) : wallClock();
  }

  async function defaultPaymentMethod(subscription: Subscription): Promise<StripeObject | undefined> {
    const customer = await store.get(subscription.customer);
    const id =
      subscription.default_payment_method ??
      ((customer?.invoice_settings as { default_payment_method?: string } | undefined)?.default_payment_method || null);
    return id ? store.get(id) : undefined;
  }

  /** An invoice for one period of `subscription`, charged to its saved card; returns it paid or open. */
  async function invoiceFor(subscription: Subscription, billingReason: string, created: number) {
    const item = subscription.items.data[0]!;
    const amount = item.price.unit_amount * item.quantity;
    const method = await defaultPaymentMethod(subscription);
    const card = cardByLast4(String((method?.card as { last4?: string } | undefined)?.last4 ?? ""));
    const failure = card ? chargeOutcome(card, { offSession: true, saved: true }) : { message: "No payment method" };
    const invoice = await store.put({
      id: newId("in"),
      object: "invoice",
      customer: subscription.customer,
      status: failure ? "open" : "paid",
      billing_reason: billingReason,
      collection_method: "charge_automatically",
      currency: item.price.currency,
      amount_due: amount,
      amount_paid: failure ? 0 : amount,
      amount_remaining: failure ? amount : 0,
      attempt_count: 1,
      attempted: true,
      parent: {
        type: "subscription_details",
        quote_details: null,
        subscription_details: { subscription: subscription.id, metadata: subscription.metadata ?? {} },
      },
      lines: {
        object: "list",
        data: [
          {
            id: newId("il"),
            object: "line_item",
            amount,
            currency: item.price.currency,
            period: { start: item.current_period_start, end: item.current_period_end },
            pricing: { type: "price_details", price_details: { price: item.price.id, product: item.price.product } },
            quantity: item.quantity,
          },
        ],
        has_more: false,
      },
      period_start: item.current_period_start,
      period_end: item.current_period_end,
      status_transitions: { paid_at: failure ? null : created, finalized_at: created },
      last_finalization_error: null,
      hosted_invoice_url: null,
      created,
      livemode: false,
    });
    return { invoice, failure };
  }

  /** A subscription to `price` for `customer`, paid by its first invoice (as Checkout creates it). */
  async function createSubscription(input: {
    customer: string;
    price: Price;
    quantity: number;
    paymentMethod: string;
    metadata: Record<string, string>;
  }) {
    const start = await nowFor(input.customer);
    const customer = await store.get(input.customer);
    const subscription = (await store.put({
      id: newId("sub"),
      object: "subscription",
      customer: input.customer,
      status: "active",
      items: {
        object: "list",
        data: [
          {
            id: newId("si"),
            object: "subscription_item",
            price: input.price,
            quantity: input.quantity,
            current_period_start: start,
            current_period_end: periodEnd(start, input.price.recurring?.interval ?? "month"),
          },
        ],
      },
      billing_cycle_anchor: start,
      start_date: start,
      cancel_at_period_end: false,
      cancel_at: null,
      canceled_at: null,
      ended_at: null,
      collection_method: "charge_automatically",
      currency: input.price.currency,
      default_payment_method: input.paymentMethod,
      latest_invoice: null,
      metadata: input.metadata,
      test_clock: (customer?.test_clock as string | null) ?? null,
      created: start,
      livemode: false,
    })) as Subscription;
    const { invoice } = await invoiceFor(subscription, "subscription_create", start);
    const created = await store.put({ ...subscription, latest_invoice: invoice.id });
    await emit("customer.subscription.created", created);
    await emit("invoice.paid", invoice);
    return created;
  }

  /** `subscriptions.update`: plan switch, cancel at period end or resume, a new default card. */
  async function updateSubscription(subscription: Subscription, params: Record<string, unknown>) {
    const previous: Record<string, unknown> = {};
    let next: Subscription = { ...subscription };
    if (params.cancel_at_period_end !== undefined) {
      const cancel = params.cancel_at_period_end === "true";
      if (cancel !== subscription.cancel_at_period_end) {
        previous.cancel_at_period_end = subscription.cancel_at_period_end;
        previous.cancel_at = subscription.cancel_at;
        next = {
          ...next,
          cancel_at_period_end: cancel,
          cancel_at: cancel ? next.items.data[0]!.current_period_end : null,
          canceled_at: cancel ? await nowFor(subscription.customer) : null,
        };
      }
    }
    const items = params.items as Array<{ id?: string; price?: string }> | undefined;
    if (items?.[0]?.price) {
      const price = (await store.get(items[0].price)) as Price | undefined;
      if (!price || price.object !== "price") return { error: `No such price: '${items[0].price}'` };
      if (price.id !== subscription.items.data[0]!.price.id) {
        previous.items = subscription.items;
        next = { ...next, items: { ...next.items, data: [{ ...next.items.data[0]!, price }] } };
      }
    }
    if (typeof params.default_payment_method === "string") {
      previous.default_payment_method = subscription.default_payment_method;
      next = { ...next, default_payment_method: params.default_payment_method };
    }
    if (Object.keys(previous).length === 0) return { subscription };
    const saved = await store.put(next);
    await emit("customer.subscription.updated", saved, previous);
    return { subscription: saved };
  }

  async function cancelSubscription(subscription: Subscription) {
    if (subscription.status === "canceled") return subscription;
    const at = await nowFor(subscription.customer);
    const canceled = await store.put({ ...subscription, status: "canceled", canceled_at: at, ended_at: at });
    await emit("customer.subscription.deleted", canceled);
    return canceled;
  }

  /** Runs every renewal due by `until` for the subscriptions of a test clock's customers, in order. */
  async function advanceClock(clockId: string, until: number) {
    const subscriptions = (await store.list<Subscription>("subscription", 1000)).filter(
      (s) => s.test_clock === clockId && s.status !== "canceled",
    );
    for (let subscription of subscriptions) {
      while (subscription.status !== "canceled" && subscription.items.data[0]!.current_period_end <= until) {
        const item = subscription.items.data[0]!;
        if (subscription.cancel_at_period_end) {
          const canceled = await store.put({
            ...subscription,
            status: "canceled",
            ended_at: item.current_period_end,
          });
          await emit("customer.subscription.deleted", canceled);
          break;
        }
        const start = item.current_period_end;
        const renewed: Subscription = {
          ...subscription,
          items: {
            ...subscription.items,
            data: [
              {
                ...item,
                current_period_start: start,
                current_period_end: periodEnd(start, item.price.recurring?.interval ?? "month"),
              },
            ],
          },
        };
        const { invoice, failure } = await invoiceFor(renewed, "subscription_cycle", start);
        const status = failure ? "past_due" : "active";
        const saved = await store.put({ ...renewed, status, latest_invoice: invoice.id });
        await emit("customer.subscription.updated", saved, {
          items: subscription.items,
          latest_invoice: subscription.latest_invoice,
          ...(status !== subscription.status ? { status: subscription.status } : {}),
        });
        await emit(failure ? "invoice.payment_failed" : "invoice.paid", invoice);
        subscription = saved;
      }
    }
  }

  async function subscriptionsOf(customerId: string) {
    return (await store.list<Subscription>("subscription", 1000)).filter((s) => s.customer === customerId);
  }

  return { createSubscription, updateSubscription, cancelSubscription, advanceClock, subscriptionsOf, nowFor };
}

export type Billing = ReturnType<typeof billing>;
export type { Subscription, Price };
