import { inngest } from "~/inngest/client.server";
import { orderBackordered, orderPlaced } from "~/inngest/events.server";
import { chargePayment } from "~/orders/charge-payment.server";
import { checkInventory } from "~/orders/check-inventory.server";
import { notifyBuyer } from "~/orders/order-notification.server";
import { failOrder } from "~/orders/fail-order.server";
import { settleOrder } from "~/orders/settle-order.server";
import { shipOrder } from "~/orders/ship-order.server";
import { validatePayment } from "~/orders/validate-payment.server";

/**
 * Takes a placed order to shipped: stock and payment are checked in parallel, then the card is charged once
 * and the stock taken. Out of stock ⇒ backordered (no charge); declined ⇒ payment_failed (no stock taken).
 * If the run fails for good before the order has an outcome, onFailure marks it failed and refunds any charge.
 */
export const processOrder = inngest.createFunction(
  {
    id: "process-order",
    retries: 3,
    concurrency: { limit: 10 },
    // One run per order, however often order/placed is sent for it.
    idempotency: "event.data.orderId",
    triggers: [orderPlaced],
    onFailure: async ({ event, error, step }) => {
      const { orderId } = event.data.event.data;
      const outcome = await step.run("mark-order-failed", () => failOrder(orderId, error.message));
      // An order that already shipped, backordered or was declined keeps that outcome and its own email.
      if (outcome.failed) await step.run("send-failure-email", () => notifyBuyer(orderId, "failed"));
    },
  },
  async ({ event, step }) => {
    const { orderId, userId } = event.data;

    const [inventory, payment] = await Promise.all([
      step.run("check-inventory", () => checkInventory(orderId)),
      step.run("validate-payment", () => validatePayment(orderId)),
    ]);

    if (!inventory.available) {
      await step.sendEvent("notify-backorder", orderBackordered.create({ orderId, userId, items: inventory.missing }));
      const detail = inventory.missing
        .map((item) => `${item.name}: ${item.available} of ${item.requested} in stock`)
        .join("; ");
      await step.run("mark-backordered", () => settleOrder(orderId, "backordered", detail));
      await step.run("send-backorder-email", () => notifyBuyer(orderId, "backordered", detail));
      return { status: "backordered" as const };
    }

    const charge = await step.run("charge-payment", () =>
      chargePayment(orderId, payment.customerId, payment.paymentMethod),
    );
    if (charge.status === "declined") {
      await step.run("mark-payment-failed", () => settleOrder(orderId, "payment_failed", charge.reason));
      await step.run("send-payment-failed-email", () => notifyBuyer(orderId, "payment_failed", charge.reason));
      return { status: "payment_failed" as const };
    }

    await step.run("ship-order", () => shipOrder(orderId));
    await step.run("send-shipped-email", () => notifyBuyer(orderId, "shipped"));
    return { status: "shipped" as const, paymentIntentId: charge.paymentIntentId };
  },
);
