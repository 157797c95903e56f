import { NonRetriableError } from "inngest";
import type Stripe from "stripe";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { payOnHostedCheckout } from "../../../harness/stripe-checkout";
import { startStepTestServices, type StepTestServices } from "../support/step-test-services";

// The steps under the stripe-webhook function, against the Stripe emulator: each reads its object back from
// Stripe, so what they write is Stripe's current state whatever the event carried.
let services: StepTestServices;
let proMonthly: string;
let proYearly: string;
beforeAll(async () => {
  services = await startStepTestServices();
  const seeded = await services.stripe.seedFixtures();
  proMonthly = String(seeded.get("price_pro_month")!.id);
  proYearly = String(seeded.get("price_pro_year")!.id);
});
afterAll(async () => {
  await services?.stop();
});

const steps = async () => ({
  ...(await import("../../../app/billing/fulfill-checkout.server")),
  ...(await import("../../../app/billing/sync-subscription.server")),
  ...(await import("../../../app/billing/sync-catalogue.server")),
  stripe: (await import("../../../app/services/stripe.server")).stripe(),
});

/** A subscription Checkout the user has paid on the emulator's hosted page, as Stepwise starts it. */
async function paidCheckout(userId: string): Promise<Stripe.Checkout.Session> {
  const { stripe } = await steps();
  const customer = await stripe.customers.create({ email: `${userId}@example.com` });
  const session = await stripe.checkout.sessions.create({
    mode: "subscription",
    customer: customer.id,
    client_reference_id: userId,
    subscription_data: { metadata: { user_id: userId } },
    line_items: [{ price: proMonthly, quantity: 1 }],
    success_url: "http://app.test/billing/success",
  });
  await payOnHostedCheckout(session.url!, {}, services.stripe.handler);
  return stripe.checkout.sessions.retrieve(session.id);
}

async function rowOf(subscriptionId: string) {
  const [row] = await services.sql`select status, price_id, cancel_at_period_end, current_period_end > now() as ahead
    from subscriptions where stripe_subscription_id = ${subscriptionId}`;
  return row;
}
async function skipped(eventId: string) {
  const [row] = await services.sql`select type, reason from skipped_stripe_events where stripe_event_id = ${eventId}`;
  return row;
}

describe("checkout.session.completed", () => {
  it("ties the customer to the user and names the subscription to sync", async () => {
    const user = await services.createUser();
    const session = await paidCheckout(user.id);
    const { fulfillCheckout } = await steps();
    expect(await fulfillCheckout("evt_fulfil_1", session)).toEqual({
      userId: user.id,
      subscriptionId: session.subscription,
      setupIntentId: null,
    });
    expect(await services.sql`select stripe_customer_id from stripe_customers where user_id = ${user.id}`).toEqual([
      { stripe_customer_id: session.customer },
    ]);
  });

  it("records another integration's session as skipped, with the reason, and does not retry it", async () => {
    const { fulfillCheckout } = await steps();
    const foreign = { id: "cs_test_foreign", client_reference_id: null, customer: null } as Stripe.Checkout.Session;
    await expect(fulfillCheckout("evt_foreign_session", foreign)).rejects.toBeInstanceOf(NonRetriableError);
    expect(await skipped("evt_foreign_session")).toEqual({
      type: "checkout.session.completed",
      reason: "the session has no client_reference_id: Stepwise did not start it",
    });
    const stranger = { ...foreign, client_reference_id: crypto.randomUUID() } as Stripe.Checkout.Session;
    await expect(fulfillCheckout("evt_stranger_session", stranger)).rejects.toThrow(/is no Stepwise user/);
  });
});

describe("syncing a subscription", () => {
  it("writes Stripe's current state, even from an event older than the last change", async () => {
    const user = await services.createUser();
    const session = await paidCheckout(user.id);
    const { syncSubscription, stripe } = await steps();
    const subscriptionId = String(session.subscription);
    const current = await stripe.subscriptions.retrieve(subscriptionId);
    await stripe.subscriptions.update(subscriptionId, {
      cancel_at_period_end: true,
      items: [{ id: current.items.data[0]!.id, price: proYearly }],
    });
    // The creation event, applied after the update: the row still ends as Stripe has it now.
    await syncSubscription("evt_created_late", "customer.subscription.created", subscriptionId);
    expect(await rowOf(subscriptionId)).toEqual({
      status: "active",
      price_id: proYearly,
      cancel_at_period_end: true,
      ahead: true,
    });
    await stripe.subscriptions.cancel(subscriptionId);
    await syncSubscription("evt_updated_late", "customer.subscription.updated", subscriptionId);
    expect(await rowOf(subscriptionId)).toMatchObject({ status: "canceled" });
    expect(await services.sql`select count(*)::int as n from subscriptions where user_id = ${user.id}`).toEqual([
      { n: 1 },
    ]);
  });

  it("skips a subscription this account does not hold, and one whose customer is no Stepwise user", async () => {
    const { syncSubscription, stripe } = await steps();
    await expect(
      syncSubscription("evt_fixture_sub", "customer.subscription.updated", "sub_1Pgc6rB7WZ01zgkWNy0Cn5nw"),
    ).rejects.toBeInstanceOf(NonRetriableError);
    expect((await skipped("evt_fixture_sub"))!.reason).toMatch(/not in this Stripe account/);
    const outsider = await stripe.customers.create({ email: "outsider@example.com" });
    const session = await stripe.checkout.sessions.create({
      mode: "subscription",
      customer: outsider.id,
      line_items: [{ price: proMonthly, quantity: 1 }],
      success_url: "http://elsewhere.test/ok",
    });
    await payOnHostedCheckout(session.url!, {}, services.stripe.handler);
    const { subscription } = await stripe.checkout.sessions.retrieve(session.id);
    await expect(
      syncSubscription("evt_outsider_sub", "customer.subscription.created", String(subscription)),
    ).rejects.toThrow(/is no Stepwise user/);
  });
});

describe("syncing the catalogue", () => {
  it("mirrors a product and its prices, follows renames, and skips objects this account does not hold", async () => {
    const { syncProduct, syncPrice, stripe } = await steps();
    const price = await stripe.prices.retrieve(proMonthly);
    await syncProduct("evt_prod_1", "product.created", String(price.product));
    await syncPrice("evt_price_1", "price.created", proMonthly);
    await stripe.products.update(String(price.product), { name: "Stepwise Pro+" });
    await syncProduct("evt_prod_2", "product.updated", String(price.product));
    await syncProduct("evt_prod_1_again", "product.created", String(price.product));
    expect(
      await services.sql`select p.name, pr.unit_amount, pr.recurring_interval from billing_products p
        join billing_prices pr on pr.product_id = p.id where pr.id = ${proMonthly}`,
    ).toEqual([{ name: "Stepwise Pro+", unit_amount: 1200, recurring_interval: "month" }]);
    await expect(syncProduct("evt_fixture_prod", "product.created", "prod_QXg1hqf4jFNsqG")).rejects.toBeInstanceOf(
      NonRetriableError,
    );
    await expect(syncPrice("evt_fixture_price", "price.created", "price_1PgafmB7WZ01zgkW6dKueIc5")).rejects.toThrow(
      /not in this Stripe account/,
    );
  });
});

describe("the subscription's period end", () => {
  it("reads the item's period end (current API) or the subscription's (older API versions)", async () => {
    const { subscriptionPeriodEnd } = await import("../../../app/billing/subscription-period-end.server");
    const onItem = { items: { data: [{ current_period_end: 1_800_000_000 }] } } as unknown as Stripe.Subscription;
    const onSubscription = { current_period_end: 1_700_000_000, items: { data: [] } } as unknown as Stripe.Subscription;
    expect(subscriptionPeriodEnd(onItem)).toEqual(new Date(1_800_000_000_000));
    expect(subscriptionPeriodEnd(onSubscription)).toEqual(new Date(1_700_000_000_000));
    expect(subscriptionPeriodEnd({ items: { data: [] } } as unknown as Stripe.Subscription)).toBeNull();
  });
});
