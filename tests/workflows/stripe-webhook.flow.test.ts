import { readFile } from "node:fs/promises";
import Stripe from "stripe";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DUNNING_SUBJECT } from "../../app/emails/dunning-email";
import { LOCAL_DEFAULTS } from "../../contracts/local-defaults";
import { seededRandom } from "../../bench/seeded-random";
import { allowConsoleErrors } from "../setup/fail-on-console-error";
import { startTestStack, type TestStack } from "../../harness/test-stack";
import { payOnHostedCheckout } from "../../harness/stripe-checkout";
import { createUser as createUserRow } from "../support/rows";

// Every webhook of a subscription's life, held back while it happens, then delivered 20 times each, shuffled and
// all at once, to the app's real route: the app must end in Stripe's final state with one row per effect.
let stack: TestStack;
let stripe: Stripe;
let prices: Record<string, string>;
let holding = false;
const held = new Map<string, Stripe.Event>();

beforeAll(async () => {
  stack = await startTestStack({
    intercept: async (request, next) => {
      if (!holding || new URL(request.url).pathname !== "/api/webhooks/stripe") return next(request);
      const event = JSON.parse(await request.text()) as Stripe.Event;
      held.set(event.id, event);
      return Response.json({ received: true });
    },
  });
  stripe = stack.stripe;
  const seeded = await stack.stack.emulators.stripe.seedFixtures();
  prices = Object.fromEntries([...seeded].map(([name, object]) => [name, String(object.id)]));
}, 180_000);
afterAll(async () => {
  await stack?.stop();
});

async function settle() {
  await stack.stack.emulators.stripe.webhooks.settled();
  await stack.inngest.waitUntilIdle();
}

/** Posts an event to the app's webhook route, signed as Stripe signs it. */
function deliver(event: object) {
  const payload = JSON.stringify(event);
  return fetch(`${stack.appUrl}/api/webhooks/stripe`, {
    method: "POST",
    body: payload,
    headers: {
      "content-type": "application/json",
      "stripe-signature": Stripe.webhooks.generateTestHeaderString({
        payload,
        secret: LOCAL_DEFAULTS.STRIPE_WEBHOOK_SECRET,
      }),
    },
  });
}

/** Each event `copies` times, in a shuffled (seeded) order, all in flight at once; every answer must be 200. */
async function deliverShuffled(events: object[], copies: number, seed: number) {
  const random = seededRandom(seed);
  const deliveries = events.flatMap((event) => Array.from({ length: copies }, () => event));
  for (let i = deliveries.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [deliveries[i], deliveries[j]] = [deliveries[j]!, deliveries[i]!];
  }
  const statuses = await Promise.all(deliveries.map(async (event) => (await deliver(event)).status));
  expect(new Set(statuses)).toEqual(new Set([200]));
}

/** Subscribes the customer to Pro monthly through Checkout, as Stepwise starts it; returns the subscription id. */
async function subscribe(userId: string, customerId: string): Promise<string> {
  const session = await stripe.checkout.sessions.create({
    mode: "subscription",
    customer: customerId,
    client_reference_id: userId,
    subscription_data: { metadata: { user_id: userId } },
    line_items: [{ price: prices.price_pro_month!, quantity: 1 }],
    success_url: "http://localhost:3000/billing/success",
  });
  expect((await payOnHostedCheckout(session.url!)).status).toBe(303);
  return String((await stripe.checkout.sessions.retrieve(session.id)).subscription);
}

async function runsOf(eventId: string) {
  const runs = await stack.inngest.listRuns({ function: "stepwise-stripe-webhook", limit: 1000 });
  return runs.filter((run) => run.event?.data.stripeEventId === eventId);
}

describe("the subscription lifecycle through the webhook workflow", () => {
  // Every event 20 times over, shuffled: hundreds of deliveries and runs, so it gets more than the default time.
  it("ends in Stripe's final state, with one row per effect, after every event arrives 20 times shuffled", async () => {
    const user = await createUserRow(stack.stack.sql);
    holding = true;
    const clock = await stripe.testHelpers.testClocks.create({ frozen_time: Math.floor(Date.now() / 1000) });
    const customer = await stripe.customers.create({ email: user.email, test_clock: clock.id });
    const subscriptionId = await subscribe(user.id, customer.id);
    const subscription = await stripe.subscriptions.retrieve(subscriptionId);
    // Switch plan, schedule the cancellation, take it back, save a card that fails, and let the renewal fail.
    await stripe.subscriptions.update(subscriptionId, {
      items: [{ id: subscription.items.data[0]!.id, price: prices.price_team_month! }],
    });
    await stripe.subscriptions.update(subscriptionId, { cancel_at_period_end: true });
    await stripe.subscriptions.update(subscriptionId, { cancel_at_period_end: false });
    const portal = await stripe.billingPortal.sessions.create({ customer: customer.id });
    const replaced = await fetch(`${portal.url}/card`, {
      method: "POST",
      body: new URLSearchParams({ card: "4000000000000341", exp: "12/34", cvc: "123" }),
    });
    expect(replaced.status).toBe(200);
    await stripe.testHelpers.testClocks.advance(clock.id, { frozen_time: clock.frozen_time + 32 * 86_400 });
    await stack.stack.emulators.stripe.webhooks.settled();
    holding = false;

    const events = [...held.values()].filter((event) => JSON.stringify(event).includes(customer.id));
    const types = events.map((event) => event.type);
    expect(types).toEqual(
      expect.arrayContaining([
        "customer.subscription.created",
        "invoice.paid",
        "checkout.session.completed",
        "customer.subscription.updated",
        "invoice.payment_failed",
      ]),
    );
    await deliverShuffled(events, 20, 15);
    await settle();

    const final = await stripe.subscriptions.retrieve(subscriptionId);
    expect(final).toMatchObject({ status: "past_due", cancel_at_period_end: false });
    const rows = await stack.stack.sql`select stripe_subscription_id, status, price_id, cancel_at_period_end,
      extract(epoch from current_period_end)::int as period_end from subscriptions where user_id = ${user.id}`;
    expect(rows).toEqual([
      {
        stripe_subscription_id: subscriptionId,
        status: "past_due",
        price_id: prices.price_team_month,
        cancel_at_period_end: false,
        period_end: final.items.data[0]!.current_period_end,
      },
    ]);
    const applied = events.filter((event) => !["customer.created", "customer.updated"].includes(event.type));
    for (const event of applied.filter(
      (e) =>
        e.type.startsWith("customer.subscription") ||
        e.type.startsWith("invoice.") ||
        e.type === "checkout.session.completed",
    )) {
      const runs = await runsOf(event.id);
      expect(
        runs.map((run) => run.status),
        `${event.type} ${event.id}`,
      ).toEqual(["Completed"]);
      expect(
        await stack.stack.sql`select type from processed_stripe_events where stripe_event_id = ${event.id}`,
      ).toEqual([{ type: event.type }]);
    }
    const dunning = (await stack.mailTo(user.email)).filter((mail) => mail.subject === DUNNING_SUBJECT);
    expect(dunning).toHaveLength(1);
    expect(dunning[0]!.text).toContain("/billing/portal");
    expect(await stack.stack.sql`select kind from email_log where user_id = ${user.id}`).toEqual([{ kind: "dunning" }]);
  }, 120_000);
});

describe("deleting an account", () => {
  it("cancels its subscription in Stripe first, and the deletion's webhook is then skipped, not retried", async () => {
    allowConsoleErrors(/Inngest|skipped/);
    const user = await createUserRow(stack.stack.sql);
    const customer = await stripe.customers.create({ email: user.email });
    const subscriptionId = await subscribe(user.id, customer.id);
    await settle();
    expect(await stack.stack.sql`select status from subscriptions where user_id = ${user.id}`).toEqual([
      { status: "active" },
    ]);

    const { deleteAccount } = await import("../../app/users/delete-account.server");
    // Stripe's webhook for the cancellation is held until the account is gone, as it is when Stripe is slower.
    held.clear();
    holding = true;
    await deleteAccount(user.id);
    await deleteAccount(user.id).catch(() => {}); // a second attempt changes nothing in Stripe
    await stack.stack.emulators.stripe.webhooks.settled();
    holding = false;
    expect((await stripe.subscriptions.retrieve(subscriptionId)).status).toBe("canceled");
    const deletions = [...held.values()].filter(
      (event) =>
        event.type === "customer.subscription.deleted" &&
        (event.data.object as Stripe.Subscription).id === subscriptionId,
    );
    expect(deletions).toHaveLength(1);
    const deleted = deletions[0]!;
    expect((await deliver(deleted)).status).toBe(200);
    await settle();
    expect((await runsOf(deleted!.id)).map((run) => run.status)).toEqual(["Failed"]);
    expect(
      await stack.stack.sql`select reason from skipped_stripe_events where stripe_event_id = ${deleted!.id}`,
    ).toEqual([{ reason: expect.stringMatching(/is no Stepwise user|deleted their account/) }]);
    expect(await stack.stack.sql`select 1 from subscriptions where user_id = ${user.id}`).toHaveLength(0);
  });
});

describe("events the app cannot use", () => {
  it("records Stripe's fixture objects from another account as skipped, each once, and never retries them", async () => {
    allowConsoleErrors(/Inngest|skipped/);
    const { objects } = JSON.parse(await readFile("tests/fixtures/stripe/openapi-fixtures.json", "utf8")) as {
      objects: Record<string, { id: string }>;
    };
    const cases: Array<[string, string]> = [
      ["checkout.session.completed", "checkout.session"],
      ["customer.subscription.created", "subscription"],
      ["customer.subscription.updated", "subscription"],
      ["customer.subscription.deleted", "subscription"],
      ["invoice.paid", "invoice"],
      ["invoice.payment_failed", "invoice"],
      ["product.created", "product"],
      ["product.deleted", "product"],
      ["price.updated", "price"],
    ];
    const events = cases.map(([type, resource], i) => ({
      id: `evt_fixture_${i}_${Date.now()}`,
      object: "event",
      api_version: "2025-10-29.clover",
      created: 1234567890,
      livemode: false,
      pending_webhooks: 1,
      request: { id: null, idempotency_key: null },
      type,
      data: { object: objects[resource] },
    }));
    await deliverShuffled(events, 20, 7);
    await settle();
    // Time passes as it would for Inngest's retries; none may come.
    await stack.inngest.advanceClock("6h");
    await stack.inngest.waitUntilIdle();
    for (const event of events) {
      const runs = await runsOf(event.id);
      expect(
        runs.map((run) => run.status),
        event.type,
      ).toEqual(["Failed"]);
      const { steps } = await stack.inngest.getRun(runs[0]!.run_id);
      expect(steps.map((step) => step.attempts)).toEqual(steps.map(() => 1));
      const [skipped] = await stack.stack.sql<{ type: string; reason: string }[]>`
        select type, reason from skipped_stripe_events where stripe_event_id = ${event.id}`;
      expect(skipped?.type).toBe(event.type);
      expect(skipped?.reason.length).toBeGreaterThan(10);
    }
  });

  it("answers 200 to an event type it does not handle and sends nothing", async () => {
    const before = (await stack.inngest.listEvents("stripe/webhook.received")).length;
    const response = await deliver({ id: "evt_other", object: "event", type: "invoice.created", data: { object: {} } });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ received: true, ignored: "invoice.created" });
    expect((await stack.inngest.listEvents("stripe/webhook.received")).length).toBe(before);
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
    const post = (body: string, signature: string | null) =>
      fetch(`${stack.appUrl}/api/webhooks/stripe`, {
        method: "POST",
        body,
        headers: signature ? { "stripe-signature": signature, "content-type": "application/json" } : {},
      });
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
});
