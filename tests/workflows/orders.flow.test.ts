import { describe, expect, it } from "vitest";
import { allowConsoleErrors } from "../setup/fail-on-console-error";
import { startTestStack } from "../../harness/test-stack";
import { startForFile } from "../support/start-for-file";
import { createUser, productId, stockOf } from "../support/rows";

const stack = startForFile(startTestStack);

async function order(orderId: string) {
  const [row] = await stack.stack.sql<
    { status: string; failure_reason: string | null }[]
  >`select status, failure_reason from orders where id = ${orderId}`;
  const steps = await stack.stack.sql<
    { step: string }[]
  >`select step from order_status_history where order_id = ${orderId} order by id`;
  const payments = await stack.stack.sql`select * from payments where order_id = ${orderId}`;
  return { ...row!, steps: steps.map((s) => s.step), payments };
}
async function place(slug: string, quantity: number, paymentMethod: "pm_card_visa" | "pm_card_chargeDeclined") {
  const user = await createUser(stack.stack.sql);
  const { placeOrder } = await import("../../app/orders/place-order.server");
  const result = await placeOrder(user.claims, {
    productId: await productId(stack.stack.sql, slug),
    quantity,
    paymentMethod,
  });
  if (!("orderId" in result)) throw new Error(result.error);
  await stack.inngest.waitUntilIdle();
  return { user, orderId: result.orderId };
}
/** Succeeded PaymentIntents the Stripe emulator holds for the order. */
async function chargesFor(orderId: string) {
  const intents = await stack.stack.sql<{ n: number }[]>`select count(*)::int as n from local_stripe.objects
    where type = 'payment_intent' and data->'metadata'->>'order_id' = ${orderId} and data->>'status' = 'succeeded'`;
  return { intents: intents[0]!.n };
}

describe("process-order", () => {
  it("charges an in-stock order once, ships it, takes the stock and emails the buyer", async () => {
    const before = await stockOf(stack.stack.sql, "brass-pen");
    const { user, orderId } = await place("brass-pen", 2, "pm_card_visa");
    const result = await order(orderId);
    expect(result.status).toBe("shipped");
    expect(result.steps).toEqual(["placed", "inventory_checked", "payment_validated", "charged", "shipped"]);
    expect(result.payments).toHaveLength(1);
    expect((await chargesFor(orderId)).intents).toBe(1);
    expect(await stockOf(stack.stack.sql, "brass-pen")).toBe(before - 2);
    expect((await stack.mailTo(user.email)).map((m) => m.subject)).toEqual([
      `Your order is on its way (order ${orderId.slice(0, 8)})`,
    ]);

    // The same order/placed event again (a retry of the action, a duplicate) starts nothing new.
    const { inngest } = await import("../../app/inngest/client.server");
    await inngest.send({ name: "order/placed", data: { orderId, userId: user.id, totalCents: 9000 } });
    await stack.inngest.waitUntilIdle();
    expect((await chargesFor(orderId)).intents).toBe(1);
    expect(await stockOf(stack.stack.sql, "brass-pen")).toBe(before - 2);
  });

  it("backorders an out-of-stock order without charging it", async () => {
    const { user, orderId } = await place("mechanical-keyboard", 1, "pm_card_visa");
    const result = await order(orderId);
    expect(result.status).toBe("backordered");
    expect(result.failure_reason).toContain("Mechanical Keyboard: 0 of 1 in stock");
    expect(result.payments).toHaveLength(0);
    expect((await chargesFor(orderId)).intents).toBe(0);
    const events = await stack.inngest.listRuns({ function: "stepwise-process-order" });
    expect(events.find((r) => r.event?.data.orderId === orderId)?.output).toEqual({ status: "backordered" });
    const backorderEvents = await stack.inngest.listEvents("order/backordered");
    expect(backorderEvents.map((e) => e.event.data)).toContainEqual({
      orderId,
      userId: user.id,
      items: [
        {
          productId: await productId(stack.stack.sql, "mechanical-keyboard"),
          name: "Mechanical Keyboard",
          requested: 1,
          available: 0,
        },
      ],
    });
    expect((await stack.mailTo(user.email)).map((m) => m.subject)).toEqual([
      `Your order is backordered (order ${orderId.slice(0, 8)})`,
    ]);
  });

  it("marks a declined card payment_failed, takes no stock and ships nothing", async () => {
    const before = await stockOf(stack.stack.sql, "field-notebook");
    const { user, orderId } = await place("field-notebook", 1, "pm_card_chargeDeclined");
    const result = await order(orderId);
    expect(result.status).toBe("payment_failed");
    expect(result.failure_reason).toBe("Your card was declined.");
    expect(result.steps).not.toContain("shipped");
    expect(await stockOf(stack.stack.sql, "field-notebook")).toBe(before);
    expect((await stack.mailTo(user.email)).map((m) => m.subject)).toEqual([
      `Your payment was declined (order ${orderId.slice(0, 8)})`,
    ]);
  });

  it("keeps a shipped order shipped and charged when its shipped email cannot be sent", async () => {
    allowConsoleErrors(/Inngest (step|function) error|Resend refused the order_shipped email/);
    // Every attempt of send-shipped-email fails (retries: 3, so four attempts); onFailure must not refund.
    const attempts = 4;
    stack.stack.emulators.resend.faults.arm(500, attempts);
    const { user, orderId } = await place("field-notebook", 1, "pm_card_visa");
    while (stack.stack.emulators.resend.faults.take()); // leave no fault armed for later tests
    const result = await order(orderId);
    expect(result.status).toBe("shipped");
    expect(result.steps).not.toContain("refunded");
    expect(result.payments).toMatchObject([{ status: "succeeded", refunded_at: null }]);
    const run = (await stack.inngest.listRuns({ function: "stepwise-process-order" })).find(
      (r) => r.event?.data.orderId === orderId,
    );
    expect(run?.status).toBe("Failed");
    expect(await stack.mailTo(user.email)).toEqual([]);
  });

  it("refunds the charge and marks the order refunded when shipping fails for good", async () => {
    // The SDK logs the failing step; here that failure is the scenario.
    allowConsoleErrors(/Inngest (step|function) error|sold out before the order shipped/);
    // Charged, then the stock vanishes before ship-order can take it: onFailure must refund.
    const user = await createUser(stack.stack.sql);
    const { placeOrder } = await import("../../app/orders/place-order.server");
    const trigger = `create or replace function public.steal_lamps() returns trigger language plpgsql as $$
      begin if new.step = 'charged' then update inventory set on_hand = 0 where product_id = (select id from products where slug = 'desk-lamp'); end if; return new; end $$`;
    await stack.stack.sql.unsafe(trigger);
    await stack.stack.sql.unsafe(
      `create trigger steal_lamps after insert on order_status_history for each row execute function public.steal_lamps()`,
    );
    const result = await placeOrder(user.claims, {
      productId: await productId(stack.stack.sql, "desk-lamp"),
      quantity: 1,
      paymentMethod: "pm_card_visa",
    });
    await stack.inngest.waitUntilIdle();
    await stack.stack.sql.unsafe(`drop trigger steal_lamps on order_status_history`);
    const orderId = (result as { orderId: string }).orderId;
    const final = await order(orderId);
    expect(final.status).toBe("refunded");
    expect(final.steps).toEqual(expect.arrayContaining(["charged", "failed", "refunded"]));
    expect(final.steps).not.toContain("shipped");
    const [charge] = await stack.stack.sql<{ refunded: boolean }[]>`
      select (data->>'refunded')::boolean as refunded from local_stripe.objects where type = 'charge' and data->>'payment_intent' = ${final.payments[0]!.stripe_payment_intent_id}`;
    expect(charge!.refunded).toBe(true);
  });
});
