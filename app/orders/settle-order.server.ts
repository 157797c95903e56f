import { asService } from "~/db.server";
import { recordOrderStep } from "./order-history.server";

/**
 * Ends an order the workflow could not fulfil, uncharged and with its stock untouched: `backordered` (what is
 * missing is the reason) or `payment_failed` (the card was declined). Writing the same outcome twice, as a
 * retried step does, leaves the order as once.
 */
export async function settleOrder(orderId: string, status: "backordered" | "payment_failed", reason: string) {
  await asService(async (tx) => {
    await tx`update orders set status = ${status}, failure_reason = ${reason}, updated_at = now() where id = ${orderId}`;
    await recordOrderStep(tx, orderId, status, reason);
  });
}
