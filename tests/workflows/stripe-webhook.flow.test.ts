import Stripe from "stripe";
import { describe, expect, it } from "vitest";
import { LOCAL_DEFAULTS } from "../../contracts/local-defaults";
import { allowConsoleErrors } from "../setup/fail-on-console-error";
import { startTestStack } from "../../harness/test-stack";
import { startForFile } from "../support/start-for-file";
import { createUser } from "../support/rows";
import { createProCheckout, payOnHostedPage } from "../support/stripe-checkout";

const stack = startForFile(startTestStack);

const webhookUrl = () => `${stack.appUrl}/api/webhooks/stripe`;

/** Subscribes a user through Checkout on the emulator's hosted page and returns the completed event. */
async function subscribe(userId: string) {
  const session = await createProCheckout(stack.stripe, {
    client_reference_id: userId,
    success_url: "http://localhost:3000/billing/success?session_id={CHECKOUT_SESSION_ID}",
  });
  await payOnHostedPage(session.url!);
  await stack.stack.emulators.stripe.webhooks.settled();
  await stack.inngest.waitUntilIdle();
  const [event] = await stack.stack.sql<{ id: string; data: Stripe.Event }[]>`
    select id, data from local_stripe.objects where type = 'event' and data->>'type' = 'checkout.session.completed'
      and data->'data'->'object'->>'id' = ${session.id}`;
  return event!.data;
}

async function subscriptionsOf(userId: string) {
  return stack.stack.sql<
    { status: string; stripe_subscription_id: string }[]
  >`select status, stripe_subscription_id from subscriptions where user_id = ${userId}`;
}

function post(body: string, signature: string | null) {
  return fetch(webhookUrl(), {
    method: "POST",
    body,
    headers: signature ? { "stripe-signature": signature, "content-type": "application/json" } : {},
  });
}

describe("the Stripe webhook", () => {
  it("records a paid subscription from Checkout", async () => {
    const user = await createUser(stack.stack.sql);
    await subscribe(user.id);
    const [row] = await subscriptionsOf(user.id);
    expect(row).toMatchObject({ status: "active" });
    const [customer] = await stack.stack
      .sql`select stripe_customer_id from stripe_customers where user_id = ${user.id}`;
    expect(customer!.stripe_customer_id).toMatch(/^cus_/);
  });

  it("fulfils once when the same event arrives 5 times at once", async () => {
    const user = await createUser(stack.stack.sql);
    const event = await subscribe(user.id);
    await stack.stack.emulators.stripe.webhooks.send(event as never, 5);
    await stack.stack.emulators.stripe.webhooks.settled();
    await stack.inngest.waitUntilIdle();
    const runs = (await stack.inngest.listRuns({ function: "stepwise-stripe-webhook" })).filter(
      (r) => r.event?.data.stripeEventId === event.id,
    );
    expect(runs).toHaveLength(1);
    const [processed] = await stack.stack
      .sql`select count(*)::int as n from processed_stripe_events where stripe_event_id = ${event.id}`;
    expect(processed!.n).toBe(1);
    expect(await subscriptionsOf(user.id)).toHaveLength(1);
  });

  it("ends canceled when the deletion arrives before the checkout it follows", async () => {
    // The deletion names a known customer, so it records the subscription as canceled without waiting for the checkout.
    allowConsoleErrors(/Inngest (step|function) error|is not recorded yet/);
    const user = await createUser(stack.stack.sql);
    const completed = await subscribe(user.id);
    const subscriptionId = String((completed.data.object as Stripe.Checkout.Session).subscription);
    // Forget what the first delivery did, cancel in Stripe, then deliver deleted first and completed after.
    await stack.stack.sql`delete from subscriptions where user_id = ${user.id}`;
    await stack.stack.sql`delete from processed_stripe_events where stripe_event_id = ${completed.id}`;
    await stack.stripe.subscriptions.cancel(subscriptionId);
    await stack.stack.emulators.stripe.webhooks.settled();
    await stack.inngest.advanceClock("1m");
    await stack.inngest.waitUntilIdle();
    expect(await subscriptionsOf(user.id)).toEqual([{ status: "canceled", stripe_subscription_id: subscriptionId }]);
    await stack.stack.emulators.stripe.webhooks.send({ ...completed, id: `${completed.id}_redelivered` } as never);
    await stack.stack.emulators.stripe.webhooks.settled();
    for (let i = 0; i < 5; i++) {
      await stack.inngest.advanceClock("10m");
      await stack.inngest.waitUntilIdle();
    }
    expect(await subscriptionsOf(user.id)).toEqual([{ status: "canceled", stripe_subscription_id: subscriptionId }]);
  });

  it("refuses a bad signature, a stale timestamp and malformed JSON with 400, and sends nothing", async () => {
    const before = (await stack.inngest.listEvents("stripe/webhook.received")).length;
    const payload = JSON.stringify({
      id: "evt_forged",
      object: "event",
      type: "checkout.session.completed",
      data: { object: {} },
    });
    const secret = LOCAL_DEFAULTS.STRIPE_WEBHOOK_SECRET;
    const forged = await post(payload, Stripe.webhooks.generateTestHeaderString({ payload, secret: "whsec_wrong" }));
    expect(forged.status).toBe(400);
    expect((await forged.json()).error).toMatch(/signature/i);
    const stale = await post(
      payload,
      Stripe.webhooks.generateTestHeaderString({ payload, secret, timestamp: Math.floor(Date.now() / 1000) - 3600 }),
    );
    expect(stale.status).toBe(400);
    expect((await stale.json()).error).toMatch(/tolerance/i);
    const malformed = await post(
      "{not json",
      Stripe.webhooks.generateTestHeaderString({ payload: "{not json", secret }),
    );
    expect(malformed.status).toBe(400);
    expect((await post(payload, null)).status).toBe(400);
    expect((await stack.inngest.listEvents("stripe/webhook.received")).length).toBe(before);
  });

  it("answers 200 to an event type it does not handle and sends nothing", async () => {
    const before = (await stack.inngest.listEvents("stripe/webhook.received")).length;
    const payload = JSON.stringify({ id: "evt_other", object: "event", type: "invoice.created", data: { object: {} } });
    const response = await post(
      payload,
      Stripe.webhooks.generateTestHeaderString({ payload, secret: LOCAL_DEFAULTS.STRIPE_WEBHOOK_SECRET }),
    );
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ received: true, ignored: "invoice.created" });
    expect((await stack.inngest.listEvents("stripe/webhook.received")).length).toBe(before);
  });
});
