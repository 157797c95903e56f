import type Stripe from "stripe";
import { describe, expect, it } from "vitest";
import { startStepTestServices } from "../support/step-test-services";
import { startForFile } from "../../support/start-for-file";
import { createProCheckout, payOnHostedPage } from "../../support/stripe-checkout";

// The writes under the stripe-webhook function. Inngest already runs each Stripe event once; these must hold
// even if it did not (an event replayed under a new id, a retried step after its transaction committed).
const services = startForFile(startStepTestServices);

/** A subscription Checkout session the user has paid, as the emulator's hosted page completes it. */
async function paidCheckout(userId: string): Promise<Stripe.Checkout.Session> {
  const { stripe } = await import("../../../app/services/stripe.server");
  const session = await createProCheckout(stripe(), {
    client_reference_id: userId,
    success_url: "http://app.test/billing/success",
  });
  await payOnHostedPage(session.url!, async (request) => services.stripe.handler(request));
  return stripe().checkout.sessions.retrieve(session.id);
}
async function subscriptionsOf(userId: string) {
  return services.sql`select stripe_subscription_id, stripe_customer_id, status, plan, canceled_at is not null as canceled,
    current_period_end > now() + interval '29 days' as period_ahead from subscriptions where user_id = ${userId}`;
}
const billing = async () => ({
  ...(await import("../../../app/billing/fulfill-checkout.server")),
  ...(await import("../../../app/billing/cancel-subscription.server")),
});

describe("fulfilling a completed Checkout", () => {
  it("records the customer and the active subscription once, however often the event is applied", async () => {
    const user = await services.createUser();
    const session = await paidCheckout(user.id);
    const { fulfillCheckout } = await billing();
    expect(await fulfillCheckout("evt_fulfil_1", session)).toEqual({ applied: true });
    expect(await fulfillCheckout("evt_fulfil_1", session)).toEqual({ applied: false });
    expect(await subscriptionsOf(user.id)).toEqual([
      {
        stripe_subscription_id: session.subscription,
        stripe_customer_id: session.customer,
        status: "active",
        plan: "pro",
        canceled: false,
        period_ahead: true,
      },
    ]);
    expect(await services.sql`select stripe_customer_id from stripe_customers where user_id = ${user.id}`).toEqual([
      { stripe_customer_id: session.customer },
    ]);
  });

  it("keeps one subscription row when Stripe sends the same checkout again under a new event id", async () => {
    const user = await services.createUser();
    const session = await paidCheckout(user.id);
    const { fulfillCheckout } = await billing();
    await fulfillCheckout("evt_fulfil_2", session);
    expect(await fulfillCheckout("evt_fulfil_2_again", session)).toEqual({ applied: true });
    expect(await subscriptionsOf(user.id)).toHaveLength(1);
  });

  it("refuses a session that names no user, saying how to create one", async () => {
    const { fulfillCheckout } = await billing();
    const anonymous = {
      id: "cs_test_anonymous",
      client_reference_id: null,
      metadata: {},
      customer: "cus_x",
      subscription: null,
    } as unknown as Stripe.Checkout.Session;
    await expect(fulfillCheckout("evt_fulfil_3", anonymous)).rejects.toThrow(
      /names no user: create it with client_reference_id/,
    );
    expect(
      await services.sql`select 1 from processed_stripe_events where stripe_event_id = 'evt_fulfil_3'`,
    ).toHaveLength(0);
  });
});

describe("cancelling a subscription", () => {
  it("marks it canceled once", async () => {
    const user = await services.createUser();
    const session = await paidCheckout(user.id);
    const { fulfillCheckout, cancelSubscription } = await billing();
    await fulfillCheckout("evt_cancel_1_checkout", session);
    const subscription = { id: String(session.subscription) } as Stripe.Subscription;
    expect(await cancelSubscription("evt_cancel_1", subscription)).toEqual({ applied: true });
    expect(await cancelSubscription("evt_cancel_1", subscription)).toEqual({ applied: false });
    expect(await subscriptionsOf(user.id)).toMatchObject([{ status: "canceled", canceled: true }]);
  });

  it("fails (so Inngest retries) while the checkout it follows is not recorded, and records nothing", async () => {
    const { cancelSubscription } = await billing();
    await expect(cancelSubscription("evt_cancel_2", { id: "sub_unknown" } as Stripe.Subscription)).rejects.toThrow(
      /sub_unknown is not recorded yet/,
    );
    expect(
      await services.sql`select 1 from processed_stripe_events where stripe_event_id = 'evt_cancel_2'`,
    ).toHaveLength(0);
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
