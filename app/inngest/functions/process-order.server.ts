import { inngest } from "~/inngest/client.server";
import { orderBackordered, orderPaymentConfirmed, orderPlaced } from "~/inngest/events.server";
import { awaitAuthentication } from "~/orders/await-authentication.server";
import { chargePayment } from "~/orders/charge-payment.server";
import { checkInventory } from "~/orders/check-inventory.server";
import { notifyBuyer } from "~/orders/order-notification.server";
import { failOrder } from "~/orders/fail-order.server";
import { AUTHENTICATION_WINDOW, settleAuthentication } from "~/orders/settle-authentication.server";
import { settleOrder } from "~/orders/settle-order.server";
import { shipOrder } from "~/orders/ship-order.server";
import { validatePayment } from "~/orders/validate-payment.server";

/**
 * Takes a placed order to shipped: stock and payment are checked in parallel, then the saved card is charged
 * once, off-session, and the stock taken. Out of stock ⇒ backordered (no charge); declined ⇒ payment_failed (no
 * stock taken). A bank that wants the customer to confirm the charge ⇒ the order waits (up to 3 days) for them
 * to confirm it from the link they are emailed, then ships, or ends payment_failed if they never do.
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

    let charge = await step.run("charge-payment", () =>
      chargePayment(orderId, payment.customerId, payment.paymentMethod),
    );
    if (charge.status === "requires_authentication") {
      const { paymentIntentId } = charge;
      await step.run("mark-awaiting-authentication", () => awaitAuthentication(orderId, paymentIntentId));
      // In parallel, so the wait has begun before the email goes out: a customer who confirms at once is not missed.
      await Promise.all([
        step.waitForEvent("wait-for-payment-confirmation", {
          event: orderPaymentConfirmed,
          if: "async.data.orderId == event.data.orderId",
          timeout: AUTHENTICATION_WINDOW,
        }),
        step.run("send-authentication-email", () => notifyBuyer(orderId, "requires_authentication")),
      ]);
      charge = await step.run("settle-authentication", () => settleAuthentication(orderId, paymentIntentId));
    }
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
