import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import postgres from "postgres";
import Stripe from "stripe";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startStripeEmulator } from "../../local/emulators/stripe/index";
import { startTestDatabase, type TestDatabase } from "../../harness/test-database";
import { createProCheckout } from "../support/stripe-checkout";

const SECRET = "whsec_test_secret";
let database: TestDatabase;
let sql: postgres.Sql;
let emulator: Awaited<ReturnType<typeof startStripeEmulator>>;
let stripe: Stripe;
let webhookServer: Server;
const received: Stripe.Event[] = [];
let failNextWebhooks = 0;

beforeAll(async () => {
  database = await startTestDatabase();
  sql = postgres(database.url, { prepare: false, max: 2, onnotice: () => {} });
  // A webhook endpoint that verifies signatures with the real SDK, like the app's route does.
  webhookServer = createServer(async (req, res) => {
    let body = "";
    for await (const chunk of req) body += chunk;
    if (failNextWebhooks > 0) {
      failNextWebhooks -= 1;
      res.writeHead(500).end();
      return;
    }
    received.push(Stripe.webhooks.constructEvent(body, String(req.headers["stripe-signature"]), SECRET));
    res.writeHead(200).end("{}");
  });
  await new Promise<void>((resolve) => webhookServer.listen(0, "127.0.0.1", resolve));
  const webhookUrl = `http://127.0.0.1:${(webhookServer.address() as AddressInfo).port}/`;
  emulator = await startStripeEmulator({
    sql,
    apiKey: "sk_test_local",
    webhookSecret: SECRET,
    webhookUrl,
    port: 0,
    webhookRetryDelaysMs: [20, 20],
  });
  const { hostname, port } = new URL(emulator.url);
  stripe = new Stripe("sk_test_local", { host: hostname, port: Number(port), protocol: "http", maxNetworkRetries: 0 });
});

afterAll(async () => {
  await emulator.stop();
  webhookServer.close();
  await sql.end();
  await database.stop();
});

describe("the Stripe emulator, through the stripe SDK", () => {
  it("charges a customer with the test Visa and refunds it", async () => {
    const customer = await stripe.customers.create({ email: "ada@example.com", metadata: { user_id: "u1" } });
    const intent = await stripe.paymentIntents.create({
      amount: 1800,
      currency: "usd",
      customer: customer.id,
      payment_method: "pm_card_visa",
      confirm: true,
      off_session: true,
    });
    expect(intent).toMatchObject({ status: "succeeded", amount_received: 1800, customer: customer.id });
    expect(intent.latest_charge).toMatch(/^ch_/);
    const refund = await stripe.refunds.create({ payment_intent: intent.id });
    expect(refund).toMatchObject({ status: "succeeded", amount: 1800 });
    await expect(stripe.refunds.create({ payment_intent: intent.id })).rejects.toMatchObject({
      code: "charge_already_refunded",
    });
  });

  it("declines the test decline card with a card_error the SDK raises", async () => {
    const error = await stripe.paymentIntents
      .create({
        amount: 4500,
        currency: "usd",
        payment_method: "pm_card_chargeDeclined",
        confirm: true,
        off_session: true,
      })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Stripe.errors.StripeCardError);
    expect(error).toMatchObject({ code: "card_declined", decline_code: "generic_decline", statusCode: 402 });
  });

  it("replays an Idempotency-Key instead of charging twice, and refuses it with other parameters", async () => {
    const params = { amount: 8900, currency: "usd", payment_method: "pm_card_visa", confirm: true, off_session: true };
    const first = await stripe.paymentIntents.create(params, { idempotencyKey: "order-1-charge" });
    const again = await stripe.paymentIntents.create(params, { idempotencyKey: "order-1-charge" });
    expect(again.id).toBe(first.id);
    await expect(
      stripe.paymentIntents.create({ ...params, amount: 9000 }, { idempotencyKey: "order-1-charge" }),
    ).rejects.toMatchObject({ type: "StripeIdempotencyError" });
  });

  it("answers invalid requests and unknown ids in Stripe's error shape", async () => {
    await expect(stripe.paymentIntents.create({ amount: 10, currency: "usd" })).rejects.toMatchObject({
      type: "StripeInvalidRequestError",
      param: "amount",
    });
    await expect(stripe.customers.retrieve("cus_nope")).rejects.toMatchObject({
      code: "resource_missing",
      statusCode: 404,
    });
    const stranger = new Stripe("sk_test_wrong", {
      host: new URL(emulator.url).hostname,
      port: Number(new URL(emulator.url).port),
      protocol: "http",
      maxNetworkRetries: 0,
    });
    await expect(stranger.customers.create({})).rejects.toMatchObject({ statusCode: 401 });
  });

  it("completes a subscription Checkout on its hosted page, redirects, and sends a signed webhook (retried after a 500)", async () => {
    const session = await createProCheckout(stripe, {
      success_url: "http://app.local/billing/success?session_id={CHECKOUT_SESSION_ID}",
      cancel_url: "http://app.local/billing",
      client_reference_id: "user-1",
      metadata: { user_id: "user-1" },
      subscription_data: { metadata: { plan_owner: "user-1" } },
    });
    expect(session).not.toHaveProperty("subscription_data");
    expect(session.url).toBe(`${emulator.url}/checkout/${session.id}`);
    const page = await (await fetch(session.url!)).text();
    expect(page).toContain("Stepwise Pro");
    failNextWebhooks = 1;
    const paid = await fetch(`${session.url}/pay`, {
      method: "POST",
      body: "card=4242+4242+4242+4242&exp=12%2F34&cvc=123&email=ada%40example.com",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      redirect: "manual",
    });
    expect(paid.status).toBe(303);
    expect(paid.headers.get("location")).toBe(`http://app.local/billing/success?session_id=${session.id}`);
    await emulator.webhooks.settled();
    const completed = received.find((e) => e.type === "checkout.session.completed")!;
    const object = completed.data.object as Stripe.Checkout.Session;
    expect(object).toMatchObject({
      id: session.id,
      payment_status: "paid",
      client_reference_id: "user-1",
      metadata: { user_id: "user-1" },
    });
    const subscription = await stripe.subscriptions.retrieve(String(object.subscription));
    expect(subscription.status).toBe("active");
    // As in Stripe: the subscription carries subscription_data.metadata, not the session's metadata.
    expect(subscription.metadata).toEqual({ plan_owner: "user-1" });

    const canceled = await stripe.subscriptions.cancel(subscription.id);
    expect(canceled.status).toBe("canceled");
    await emulator.webhooks.settled();
    expect(
      received
        .filter((e) => e.type === "customer.subscription.deleted")
        .map((e) => (e.data.object as Stripe.Subscription).id),
    ).toEqual([subscription.id]);
  });

  it("refuses the declined test card on the hosted page", async () => {
    const session = await stripe.checkout.sessions.create({
      mode: "payment",
      line_items: [{ price_data: { currency: "usd", unit_amount: 500, product_data: { name: "Pen" } }, quantity: 1 }],
      success_url: "http://app.local/ok",
    });
    const declined = await fetch(`${session.url}/pay`, {
      method: "POST",
      body: "card=4000000000000002&exp=12%2F34&cvc=123&email=ada%40example.com",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      redirect: "manual",
    });
    expect(declined.status).toBe(402);
    expect(await declined.text()).toContain("declined");
    expect((await stripe.checkout.sessions.retrieve(session.id)).status).toBe("open");
  });
});

describe("the emulator's billing: catalogue, test cards, portal and test clocks", () => {
  const form = (body: Record<string, string>) => ({
    method: "POST",
    body: new URLSearchParams(body),
    redirect: "manual" as const,
  });
  const card = (number: string) => ({ email: "ada@example.com", card: number, exp: "12 / 34", cvc: "123" });

  it("seeds a `stripe fixtures` file once, however often it runs", async () => {
    const first = await emulator.seedFixtures();
    const again = await emulator.seedFixtures();
    expect(again.get("price_pro_month")!.id).toBe(first.get("price_pro_month")!.id);
    const prices = await stripe.prices.list({ active: true, lookup_keys: ["pro_monthly", "pro_yearly"] });
    expect(prices.data.map((p) => [p.unit_amount, p.recurring?.interval]).sort()).toEqual([
      [1200, "month"],
      [12000, "year"],
    ]);
  });

  it("answers each test card as Stripe does, and authenticates 3155 when asked", async () => {
    const price = (await stripe.prices.list({ lookup_keys: ["pro_monthly"] })).data[0]!;
    const session = await stripe.checkout.sessions.create({
      mode: "subscription",
      line_items: [{ price: price.id, quantity: 1 }],
      success_url: "http://app.local/ok",
    });
    const pay = async (body: Record<string, string>) => fetch(`${session.url}/pay`, form(body));
    expect(await (await pay({ ...card(""), card: "" })).text()).toContain("Your card number is incomplete.");
    expect(await (await pay({ ...card("4242424242424242"), exp: "1 / 2" })).text()).toContain("expiration date");
    expect(await (await pay({ ...card("4242424242424242"), cvc: "" })).text()).toContain("security code");
    expect(await (await pay(card("4000000000009995"))).text()).toContain("Your card has insufficient funds.");
    const challenge = await (await pay(card("4000002500003155"))).text();
    expect(challenge).toContain("Complete authentication");
    const failed = await fetch(`${session.url}/authenticate`, form({ ...card("4000002500003155"), result: "fail" }));
    expect(await failed.text()).toContain("We are unable to authenticate your payment method.");
    const passed = await fetch(
      `${session.url}/authenticate`,
      form({ ...card("4000002500003155"), result: "complete" }),
    );
    expect(passed.status).toBe(303);
    expect((await stripe.checkout.sessions.retrieve(session.id)).status).toBe("complete");
  });

  it("renews on a test clock, and the portal cancels at period end and resumes", async () => {
    const price = (await stripe.prices.list({ lookup_keys: ["pro_monthly"] })).data[0]!;
    const clock = await stripe.testHelpers.testClocks.create({ frozen_time: 1_800_000_000 });
    const customer = await stripe.customers.create({ email: "clock@example.com", test_clock: clock.id });
    const session = await stripe.checkout.sessions.create({
      mode: "subscription",
      customer: customer.id,
      line_items: [{ price: price.id, quantity: 1 }],
      success_url: "http://app.local/ok",
    });
    await fetch(`${session.url}/pay`, form(card("4242424242424242")));
    const subscriptionId = String((await stripe.checkout.sessions.retrieve(session.id)).subscription);
    const before = await stripe.subscriptions.retrieve(subscriptionId);
    expect(before.items.data[0]!.current_period_start).toBe(1_800_000_000);

    await stripe.testHelpers.testClocks.advance(clock.id, { frozen_time: 1_800_000_000 + 31 * 86_400 });
    const renewed = await stripe.subscriptions.retrieve(subscriptionId);
    expect(renewed.status).toBe("active");
    expect(renewed.items.data[0]!.current_period_start).toBe(before.items.data[0]!.current_period_end);
    const invoice = await stripe.invoices.retrieve(String(renewed.latest_invoice));
    expect(invoice).toMatchObject({ status: "paid", billing_reason: "subscription_cycle" });

    const portal = await stripe.billingPortal.sessions.create({
      customer: customer.id,
      return_url: "http://app.local",
    });
    await fetch(`${portal.url}/cancel`, form({ when: "period_end" }));
    expect((await stripe.subscriptions.retrieve(subscriptionId)).cancel_at_period_end).toBe(true);
    await fetch(`${portal.url}/resume`, form({}));
    expect((await stripe.subscriptions.retrieve(subscriptionId)).cancel_at_period_end).toBe(false);
    await emulator.webhooks.settled();
    const types = received.filter((e) => JSON.stringify(e.data.object).includes(subscriptionId)).map((e) => e.type);
    expect(types).toEqual(
      expect.arrayContaining(["customer.subscription.created", "invoice.paid", "customer.subscription.updated"]),
    );
  });
});
