import { asService } from "~/db.server";
import { stripe } from "~/services/stripe.server";
import { recordOrderStep } from "./order-history.server";

/** Out of stock: the order waits, uncharged. */
export async function markBackordered(orderId: string, detail: string) {
  await asService(async (tx) => {
    await tx`update orders set status = 'backordered', failure_reason = ${detail}, updated_at = now() where id = ${orderId}`;
    await recordOrderStep(tx, orderId, "backordered", detail);
  });
}

/** The card was declined: nothing was charged and no stock was taken. */
export async function markPaymentFailed(orderId: string, reason: string) {
  await asService(async (tx) => {
    await tx`update orders set status = 'payment_failed', failure_reason = ${reason}, updated_at = now() where id = ${orderId}`;
    await recordOrderStep(tx, orderId, "payment_failed", reason);
  });
}

/**
 * The workflow failed for good: mark the order failed and refund a charge that went through. The refund's
 * idempotency key makes a repeated onFailure refund once.
 */
export async function failOrder(orderId: string, reason: string): Promise<{ refunded: boolean }> {
  const [payment] = await asService((tx) => tx<{ stripe_payment_intent_id: string; refunded_at: Date | null }[]>`
    select stripe_payment_intent_id, refunded_at from payments where order_id = ${orderId}`);
  let refunded = false;
  if (payment && !payment.refunded_at) {
    await stripe().refunds.create({ payment_intent: payment.stripe_payment_intent_id }, { idempotencyKey: `order-${orderId}-refund` });
    refunded = true;
  }
  await asService(async (tx) => {
    await tx`update orders set status = ${refunded || payment ? "refunded" : "failed"}, failure_reason = ${reason}, updated_at = now()
      where id = ${orderId} and status <> 'shipped'`;
    await recordOrderStep(tx, orderId, "failed", reason);
    if (refunded) {
      await tx`update payments set refunded_at = now(), status = 'refunded' where order_id = ${orderId}`;
      await recordOrderStep(tx, orderId, "refunded");
    }
  });
  return { refunded };
}
