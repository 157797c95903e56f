import { NonRetriableError } from "inngest";
import { describe, expect, it } from "vitest";
import { startStepTestServices } from "../support/step-test-services";
import { startForFile } from "../../support/start-for-file";
import { productId, stockOf } from "../../support/rows";

// Each step of process-order run for real against the database and the Stripe emulator, twice where a retry
// could repeat it: a step must leave the same state whether it ran once or again after a failure.
const services = startForFile(startStepTestServices);

const app = {
  placeOrder: async () => (await import("../../../app/orders/place-order.server")).placeOrder,
  steps: async () => ({
    ...(await import("../../../app/orders/check-inventory.server")),
    ...(await import("../../../app/orders/validate-payment.server")),
    ...(await import("../../../app/orders/charge-payment.server")),
    ...(await import("../../../app/orders/ship-order.server")),
    ...(await import("../../../app/orders/fail-order.server")),
    ...(await import("../../../app/orders/settle-order.server")),
  }),
};

async function orderState(orderId: string) {
  const [order] = await services.sql<
    { status: string; failure_reason: string | null }[]
  >`select status, failure_reason from orders where id = ${orderId}`;
  const history = await services.sql<
    { step: string }[]
  >`select step from order_status_history where order_id = ${orderId} order by id`;
  const payments = await services.sql<
    { stripe_payment_intent_id: string; status: string }[]
  >`select stripe_payment_intent_id, status from payments where order_id = ${orderId}`;
  return { ...order!, steps: history.map((row) => row.step), payments };
}
async function intentsFor(orderId: string) {
  return services.sql<{ status: string }[]>`select data->>'status' as status from local_stripe.objects
    where type = 'payment_intent' and data->'metadata'->>'order_id' = ${orderId}`;
}
async function newOrder(
  slug: string,
  quantity: number,
  paymentMethod: "pm_card_visa" | "pm_card_chargeDeclined" = "pm_card_visa",
) {
  const user = await services.createUser();
  const placed = await (
    await app.placeOrder()
  )(user.claims, { productId: await productId(services.sql, slug), quantity, paymentMethod });
  if (!("orderId" in placed)) throw new Error(placed.error);
  return { user, orderId: placed.orderId };
}
async function refundCount() {
  const [row] = await services.sql<
    { n: number }[]
  >`select count(*)::int as n from local_stripe.objects where type = 'refund'`;
  return row!.n;
}
function paymentIntentOf(charge: Awaited<ReturnType<typeof chargeOrder>>) {
  if (charge.status !== "charged") throw new Error(`Expected a charge, got ${charge.status}: ${charge.reason}`);
  return charge.paymentIntentId;
}
/** Runs the order's steps up to (not including) shipping, as the workflow does. */
async function chargeOrder(orderId: string) {
  const steps = await app.steps();
  await steps.checkInventory(orderId);
  const payment = await steps.validatePayment(orderId);
  return steps.chargePayment(orderId, payment.customerId, payment.paymentMethod);
}

describe("placing an order", () => {
  it("writes the order, its item and the placed step as the user, then sends order/placed keyed by the order", async () => {
    const { user, orderId } = await newOrder("brass-pen", 2);
    const [order] =
      await services.sql`select user_id, status, total_cents, payment_method from orders where id = ${orderId}`;
    expect(order).toEqual({ user_id: user.id, status: "placed", total_cents: 9000, payment_method: "pm_card_visa" });
    expect((await orderState(orderId)).steps).toEqual(["placed"]);
    expect(services.sentEvents.at(-1)).toMatchObject({
      id: `order-placed-${orderId}`,
      name: "order/placed",
      data: { orderId, userId: user.id, totalCents: 9000 },
    });
  });

  it("refuses an unknown product without writing or sending anything", async () => {
    const user = await services.createUser();
    const sentBefore = services.sentEvents.length;
    const placeOrder = await app.placeOrder();
    expect(
      await placeOrder(user.claims, { productId: crypto.randomUUID(), quantity: 1, paymentMethod: "pm_card_visa" }),
    ).toEqual({ error: "That product does not exist" });
    expect(await services.sql`select 1 from orders where user_id = ${user.id}`).toHaveLength(0);
    expect(services.sentEvents.length).toBe(sentBefore);
  });

  it("explains what is wrong with the form input", async () => {
    const { PlaceOrderInput } = await import("../../../app/orders/place-order.server");
    const messages = (input: Record<string, unknown>) =>
      PlaceOrderInput.safeParse(input).error?.issues.map((issue) => issue.message);
    const productId = crypto.randomUUID();
    expect(messages({ productId, quantity: "0", paymentMethod: "pm_card_visa" })).toEqual(["Order at least 1"]);
    expect(messages({ productId, quantity: "1.5", paymentMethod: "pm_card_visa" })).toEqual(["Enter a whole number"]);
    expect(messages({ productId, quantity: "101", paymentMethod: "pm_card_visa" })).toEqual([
      "Order at most 100 at a time",
    ]);
    expect(messages({ productId, quantity: "1", paymentMethod: "pm_card_amex" })).toEqual(["Choose a test card"]);
    expect(PlaceOrderInput.parse({ productId, quantity: "3", paymentMethod: "pm_card_visa" }).quantity).toBe(3);
  });
});

describe("check-inventory", () => {
  it("reports every short item without taking stock, and records the check once", async () => {
    const { orderId } = await newOrder("mechanical-keyboard", 2);
    const { checkInventory } = await app.steps();
    const first = await checkInventory(orderId);
    expect(first).toEqual({
      available: false,
      missing: [
        {
          productId: await productId(services.sql, "mechanical-keyboard"),
          name: "Mechanical Keyboard",
          requested: 2,
          available: 0,
        },
      ],
    });
    expect(await checkInventory(orderId)).toEqual(first);
    expect(await orderState(orderId)).toMatchObject({ status: "processing", steps: ["placed", "inventory_checked"] });
  });
});

describe("orders a retry cannot fix", () => {
  it("fail at once, without asking Inngest to retry: no items, or no usable payment method", async () => {
    const user = await services.createUser();
    const [order] = await services.sql<{ id: string }[]>`insert into orders (user_id, total_cents, payment_method)
      values (${user.id}, 1800, 'visa') returning id`;
    const { checkInventory, validatePayment } = await app.steps();
    await expect(checkInventory(order!.id)).rejects.toThrow(NonRetriableError);
    await expect(validatePayment(order!.id)).rejects.toThrow(/has no usable payment method/);
    await expect(validatePayment(order!.id)).rejects.toBeInstanceOf(NonRetriableError);
  });
});

describe("validate-payment", () => {
  it("creates the buyer's Stripe customer once, however often it runs", async () => {
    const { user, orderId } = await newOrder("brass-pen", 1);
    const { validatePayment } = await app.steps();
    const first = await validatePayment(orderId);
    expect(first).toEqual({ customerId: expect.stringMatching(/^cus_/), paymentMethod: "pm_card_visa" });
    expect(await validatePayment(orderId)).toEqual(first);
    const customers = await services.sql`select stripe_customer_id from stripe_customers where user_id = ${user.id}`;
    expect(customers).toEqual([{ stripe_customer_id: first.customerId }]);
    const inStripe =
      await services.sql`select 1 from local_stripe.objects where type = 'customer' and data->'metadata'->>'user_id' = ${user.id}`;
    expect(inStripe).toHaveLength(1);
  });
});

describe("charge-payment", () => {
  it("charges once when the step runs again, and records one payment", async () => {
    const { orderId } = await newOrder("brass-pen", 1);
    const first = await chargeOrder(orderId);
    expect(first).toEqual({ status: "charged", paymentIntentId: expect.stringMatching(/^pi_/) });
    const { validatePayment, chargePayment } = await app.steps();
    const payment = await validatePayment(orderId);
    expect(await chargePayment(orderId, payment.customerId, payment.paymentMethod)).toEqual(first);
    expect(await intentsFor(orderId)).toEqual([{ status: "succeeded" }]);
    expect(await orderState(orderId)).toMatchObject({
      status: "paid",
      payments: [{ stripe_payment_intent_id: paymentIntentOf(first), status: "succeeded" }],
    });
  });

  it("returns a declined card as an answer, with Stripe's reason, and records no payment", async () => {
    const { orderId } = await newOrder("brass-pen", 1, "pm_card_chargeDeclined");
    expect(await chargeOrder(orderId)).toEqual({ status: "declined", reason: "Your card was declined." });
    const { settleOrder } = await app.steps();
    await settleOrder(orderId, "payment_failed", "Your card was declined.");
    expect(await orderState(orderId)).toEqual({
      status: "payment_failed",
      failure_reason: "Your card was declined.",
      steps: ["placed", "inventory_checked", "payment_validated", "payment_failed"],
      payments: [],
    });
  });
});

describe("ship-order", () => {
  it("takes the stock once and records the shipment once", async () => {
    const before = await stockOf(services.sql, "field-notebook");
    const { orderId } = await newOrder("field-notebook", 3);
    await chargeOrder(orderId);
    const { shipOrder } = await app.steps();
    expect(await shipOrder(orderId)).toEqual({ shipped: true });
    expect(await shipOrder(orderId)).toEqual({ shipped: true });
    expect(await stockOf(services.sql, "field-notebook")).toBe(before - 3);
    expect(await orderState(orderId)).toMatchObject({
      status: "shipped",
      steps: ["placed", "inventory_checked", "payment_validated", "charged", "shipped"],
    });
  });

  it("takes nothing at all when one item sold out since the check, and does not ask to be retried", async () => {
    const { orderId } = await newOrder("wool-throw", 1);
    await services.sql`insert into order_items (order_id, product_id, quantity, unit_price_cents)
      values (${orderId}, ${await productId(services.sql, "desk-lamp")}, 2, 8900)`;
    await chargeOrder(orderId);
    const throws = await stockOf(services.sql, "wool-throw");
    await services.sql`update inventory set on_hand = 1 where product_id = ${await productId(services.sql, "desk-lamp")}`;
    const { shipOrder } = await app.steps();
    const failure = await shipOrder(orderId).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(NonRetriableError);
    expect((failure as Error).message).toMatch(/sold out before the order shipped/);
    expect(await stockOf(services.sql, "wool-throw")).toBe(throws);
    expect(await stockOf(services.sql, "desk-lamp")).toBe(1);
    expect((await orderState(orderId)).status).toBe("paid");
  });
});

describe("the order's other outcomes", () => {
  it("backorders with the shortfall as the reason", async () => {
    const { orderId } = await newOrder("mechanical-keyboard", 1);
    const { checkInventory, settleOrder } = await app.steps();
    await checkInventory(orderId);
    await settleOrder(orderId, "backordered", "Mechanical Keyboard: 0 of 1 in stock");
    await settleOrder(orderId, "backordered", "Mechanical Keyboard: 0 of 1 in stock");
    expect(await orderState(orderId)).toEqual({
      status: "backordered",
      failure_reason: "Mechanical Keyboard: 0 of 1 in stock",
      steps: ["placed", "inventory_checked", "backordered"],
      payments: [],
    });
  });

  it("on failure refunds a charged order once and marks it refunded", async () => {
    const { orderId } = await newOrder("brass-pen", 1);
    const charge = await chargeOrder(orderId);
    const { failOrder } = await app.steps();
    expect(await failOrder(orderId, "Shipping service unavailable")).toEqual({ failed: true, refunded: true });
    const state = await orderState(orderId);
    expect(state).toMatchObject({
      status: "refunded",
      failure_reason: "Shipping service unavailable",
      payments: [{ status: "refunded" }],
    });
    expect(state.steps.slice(-2)).toEqual(["failed", "refunded"]);
    const [stripeCharge] =
      await services.sql`select (data->>'amount_refunded')::int as refunded from local_stripe.objects
      where type = 'charge' and data->>'payment_intent' = ${paymentIntentOf(charge)}`;
    expect(stripeCharge).toEqual({ refunded: 4500 });
    // Run again (a retried onFailure step): the order already has its outcome.
    expect(await failOrder(orderId, "Shipping service unavailable")).toEqual({ failed: false });
  });

  it("on failure marks an uncharged order failed without touching Stripe", async () => {
    const { orderId } = await newOrder("brass-pen", 1);
    const { failOrder } = await app.steps();
    const refundsBefore = await refundCount();
    expect(await failOrder(orderId, "Database unavailable")).toEqual({ failed: true, refunded: false });
    expect(await orderState(orderId)).toMatchObject({
      status: "failed",
      failure_reason: "Database unavailable",
      steps: ["placed", "failed"],
    });
    expect(await refundCount()).toBe(refundsBefore);
  });

  it("on failure leaves a shipped order shipped and its charge in place", async () => {
    const { orderId } = await newOrder("brass-pen", 1);
    await chargeOrder(orderId);
    const { shipOrder, failOrder } = await app.steps();
    await shipOrder(orderId);
    const refundsBefore = await refundCount();
    // e.g. the shipped email could not be sent: the buyer still gets the goods and keeps being charged.
    expect(await failOrder(orderId, "Resend refused the email")).toEqual({ failed: false });
    expect(await orderState(orderId)).toMatchObject({
      status: "shipped",
      failure_reason: null,
      payments: [{ status: "succeeded" }],
    });
    expect(await refundCount()).toBe(refundsBefore);
  });
});
