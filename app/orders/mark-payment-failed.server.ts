import { asService } from "~/db.server";
import { recordOrderStep } from "./order-history.server";

/** The card was declined: nothing was charged and no stock was taken. */
export async function markPaymentFailed(orderId: string, reason: string) {
  await asService(async (tx) => {
    await tx`update orders set status = 'payment_failed', failure_reason = ${reason}, updated_at = now() where id = ${orderId}`;
    await recordOrderStep(tx, orderId, "payment_failed", reason);
  });
}
