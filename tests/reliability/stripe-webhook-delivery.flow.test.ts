import Stripe from "stripe";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LOCAL_DEFAULTS } from "../../contracts/local-defaults";
import { startTestStack, type TestStack } from "../../harness/test-stack";
import { payOnHostedCheckout } from "../../harness/stripe-checkout";
import { createProCheckout } from "../support/stripe-checkout";
import { newUser } from "./support";

// Stripe delivers at least once, concurrently and in any order. Here the emulator's own deliveries are held back
// (answered 200 unseen, as if still in Stripe's queue) and the test delivers the real, signed events itself: the
// same event 20 times at once, and a subscription's deletion before the checkout and creation it follows. Each
// step reads the subscription back from Stripe, so even the stale "active" copy in the late creation event
// cannot revive it.

let stack: TestStack;
let stripe: Stripe;
/** While true, the Stripe emulator's own deliveries never reach the app. */
let holdStripeDeliveries = false;

beforeAll(async () => {
  stack = await startTestStack({
    async intercept(request, next) {
      const fromEmulator = request.headers.get("user-agent")?.startsWith("Stripe/");
      if (holdStripeDeliveries && fromEmulator && new URL(request.url).pathname === "/api/webhooks/stripe")
        return Response.json({ received: true });
      return next(request);
    },
  });
  stripe = stack.stripe;
});
afterAll(async () => {
  await stack?.stop();
});

/** Delivers `event` to the app `copies` times at once, signed as Stripe signs it; returns the statuses. */
async function deliver(event: Stripe.Event, copies = 1): Promise<number[]> {
  const payload = JSON.stringify(event);
  return Promise.all(
    Array.from({ length: copies }, async () => {
      const signature = Stripe.webhooks.generateTestHeaderString({
        payload,
        secret: LOCAL_DEFAULTS.STRIPE_WEBHOOK_SECRET,
      });
      const response = await fetch(`${stack.appUrl}/api/webhooks/stripe`, {
        method: "POST",
        body: payload,
        headers: { "stripe-signature": signature, "content-type": "application/json" },
      });
      await response.arrayBuffer();
      return response.status;
    }),
  );
}

async function eventsAbout(objectId: string): Promise<Stripe.Event[]> {
  await stack.stack.emulators.stripe.webhooks.settled();
  const rows = await stack.stack.sql<{ data: Stripe.Event }[]>`
    select data from local_stripe.objects where type = 'event' and data->'data'->'object'->>'id' = ${objectId} order by data->>'created', id`;
  return rows.map((row) => row.data);
}

/** A user who paid for Pro in Checkout; Stripe has the subscription, the app has not heard of it yet. */
async function paidCheckout() {
  const user = await newUser(stack);
  holdStripeDeliveries = true;
  const session = await createProCheckout(stripe, {
    client_reference_id: user.id,
    metadata: { user_id: user.id },
    subscription_data: { metadata: { user_id: user.id } }, // as app/billing/checkout.server.ts creates it
    success_url: "http://localhost:3000/billing/success?session_id={CHECKOUT_SESSION_ID}",
  });
  await payOnHostedCheckout(session.url!);
  const [completed] = await eventsAbout(session.id);
  expect(completed?.type).toBe("checkout.session.completed");
  const subscriptionId = String((completed!.data.object as Stripe.Checkout.Session).subscription);
  return { user, completed: completed!, subscriptionId };
}

async function billingState(userId: string, eventIds: string[]) {
  const subscriptions = await stack.stack.sql<{ status: string; stripe_subscription_id: string; canceled: boolean }[]>`
    select status, stripe_subscription_id, canceled_at is not null as canceled from subscriptions where user_id = ${userId}`;
  const customers = await stack.stack.sql`select stripe_customer_id from stripe_customers where user_id = ${userId}`;
  const processed = await stack.stack.sql<{ stripe_event_id: string; n: number }[]>`
    select stripe_event_id, count(*)::int as n from processed_stripe_events where stripe_event_id in ${stack.stack.sql(eventIds)} group by 1`;
  const runs = (await stack.inngest.listRuns({ function: "stepwise-stripe-webhook" })).filter((r) =>
    eventIds.includes(String(r.event?.data.stripeEventId)),
  );
  return {
    subscriptions: [...subscriptions],
    customers: customers.length,
    processed: Object.fromEntries(processed.map((p) => [p.stripe_event_id, p.n])),
    runs: runs.map((r) => r.status).sort(),
  };
}

describe("Stripe webhook deliveries", () => {
  it("applies a checkout once when the same event arrives 20 times at once", async () => {
    const { user, completed, subscriptionId } = await paidCheckout();
    holdStripeDeliveries = false;
    expect(await deliver(completed, 20)).toEqual(Array(20).fill(200));
    await stack.inngest.waitUntilIdle();
    expect(await billingState(user.id, [completed.id])).toEqual({
      subscriptions: [{ status: "active", stripe_subscription_id: subscriptionId, canceled: false }],
      customers: 1,
      processed: { [completed.id]: 1 },
      runs: ["Completed"],
    });
  });

  it("stays canceled when the deletion arrives (20 times) before the checkout and creation it follows", async () => {
    const { user, completed, subscriptionId } = await paidCheckout();
    const active = await stripe.subscriptions.retrieve(subscriptionId);
    await stripe.subscriptions.cancel(subscriptionId);
    const [deleted] = (await eventsAbout(subscriptionId)).filter((e) => e.type === "customer.subscription.deleted");
    expect(deleted).toBeDefined();
    // Stripe also sends customer.subscription.created with the subscription as it was at checkout.
    const created = {
      ...completed,
      id: `${completed.id}_sub_created`,
      type: "customer.subscription.created",
      data: { object: active },
    } as Stripe.Event;
    holdStripeDeliveries = false;

    expect(await deliver(deleted!, 20)).toEqual(Array(20).fill(200));
    await stack.inngest.waitUntilIdle();
    expect(await Promise.all([deliver(created, 20), deliver(completed, 20)])).toEqual([
      Array(20).fill(200),
      Array(20).fill(200),
    ]);
    for (let i = 0; i < 6; i++) {
      await stack.inngest.advanceClock("1h"); // any retry Inngest has scheduled falls due
      await stack.inngest.waitUntilIdle();
    }

    expect(await billingState(user.id, [deleted!.id, completed.id])).toEqual({
      subscriptions: [{ status: "canceled", stripe_subscription_id: subscriptionId, canceled: true }],
      customers: 1,
      processed: { [deleted!.id]: 1, [completed.id]: 1 },
      runs: ["Completed", "Completed"],
    });
  });
});
