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
      body: "card=4242+4242+4242+4242&email=ada%40example.com",
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
      body: "card=4000000000000002",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      redirect: "manual",
    });
    expect(declined.status).toBe(402);
    expect(await declined.text()).toContain("declined");
    expect((await stripe.checkout.sessions.retrieve(session.id)).status).toBe("open");
  });
});
