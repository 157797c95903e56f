import { asService } from "~/db.server";
import { stripe } from "~/services/stripe.server";
import { recordOrderStep } from "./order-history.server";

// Orders the workflow had not finished with. A shipped, backordered or declined order already has its outcome:
// when the run fails after that (say the outcome's email could not be sent), the outcome stands and a shipped
// order is not refunded.
const IN_FLIGHT = new Set(["placed", "processing", "requires_authentication", "paid"]);

export type FailOrderResult = { failed: false } | { failed: true; refunded: boolean };

/**
 * The workflow failed for good: mark an unfinished order failed and refund a charge that went through, or
 * cancel the payment still waiting for the customer to confirm it, so a late confirmation charges nothing. The
 * idempotency keys make a retried step refund or cancel once.
 */
export async function failOrder(orderId: string, reason: string): Promise<FailOrderResult> {
  const [order] = await asService(
    (tx) => tx<
      { status: string; stripe_payment_intent_id: string | null; refunded_at: Date | null; waiting: string | null }[]
    >`
    select o.status, p.stripe_payment_intent_id, p.refunded_at, o.payment_intent_id as waiting
    from orders o left join payments p on p.order_id = o.id where o.id = ${orderId}`,
  );
  if (!order || !IN_FLIGHT.has(order.status)) return { failed: false };
  // A payment waiting for the customer is canceled; one they confirmed a moment ago is refunded like any charge.
  const confirmed =
    order.status === "requires_authentication" && order.waiting
      ? await cancelWaitingPayment(orderId, order.waiting)
      : null;
  const chargedIntent = order.stripe_payment_intent_id ?? confirmed;
  const charged = chargedIntent !== null;
  if (charged && !order.refunded_at) {
    await stripe().refunds.create({ payment_intent: chargedIntent }, { idempotencyKey: `order-${orderId}-refund` });
  }
  await asService(async (tx) => {
    await tx`update orders set status = ${charged ? "refunded" : "failed"}, failure_reason = ${reason}, updated_at = now() where id = ${orderId}`;
    await recordOrderStep(tx, orderId, "failed", reason);
    if (charged) {
      await tx`update payments set refunded_at = coalesce(refunded_at, now()), status = 'refunded' where order_id = ${orderId}`;
      await recordOrderStep(tx, orderId, "refunded");
    }
  });
  return { failed: true, refunded: charged };
}

/** Cancels the order's waiting PaymentIntent; returns its id instead if the customer already confirmed it. */
async function cancelWaitingPayment(orderId: string, paymentIntentId: string): Promise<string | null> {
  const intent = await stripe().paymentIntents.retrieve(paymentIntentId);
  if (intent.status === "succeeded") return intent.id;
  if (intent.status !== "canceled")
    await stripe().paymentIntents.cancel(paymentIntentId, {}, { idempotencyKey: `order-${orderId}-cancel-payment` });
  return null;
}
