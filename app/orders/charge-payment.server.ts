import { NonRetriableError } from "inngest";
import Stripe from "stripe";
import { asService } from "~/db.server";
import { stripe } from "~/services/stripe.server";
import { recordOrderStep } from "./order-history.server";

export type ChargeResult = { status: "charged"; paymentIntentId: string } | { status: "declined"; reason: string };

/**
 * Charges the order once. The Stripe idempotency key is derived from the order, so a retried step (or a
 * re-delivered event) replays the first PaymentIntent instead of charging again; the payments row is unique
 * per order too. A declined card is an answer, not an error: it is returned so the workflow can tell the user.
 */
export async function chargePayment(orderId: string, customerId: string, paymentMethod: string): Promise<ChargeResult> {
  const [order] = await asService(
    (tx) => tx<{ user_id: string; total_cents: number; currency: string; status: string }[]>`
    select user_id, total_cents, currency, status from orders where id = ${orderId}`,
  );
  if (!order) throw new Error(`Order ${orderId} does not exist`);
  // Failed while the run was on its way here (its account was deleted): charging it now could not be refunded.
  if (order.status === "failed" || order.status === "refunded")
    throw new NonRetriableError(`Order ${orderId} was ${order.status} before it was charged`);
  let intent: Stripe.PaymentIntent;
  try {
    intent = await stripe().paymentIntents.create(
      {
        amount: order.total_cents,
        currency: order.currency,
        customer: customerId,
        payment_method: paymentMethod,
        confirm: true,
        off_session: true,
        metadata: { order_id: orderId },
      },
      { idempotencyKey: `order-${orderId}-charge` },
    );
  } catch (error) {
    if (error instanceof Stripe.errors.StripeCardError) return { status: "declined", reason: error.message };
    throw error;
  }
  await asService(async (tx) => {
    await tx`insert into payments (order_id, user_id, stripe_payment_intent_id, amount_cents, currency, status)
      values (${orderId}, ${order.user_id}, ${intent.id}, ${intent.amount}, ${intent.currency}, ${intent.status})
      on conflict (order_id) do nothing`;
    await tx`update orders set status = 'paid', updated_at = now() where id = ${orderId} and status = 'processing'`;
    await recordOrderStep(
      tx,
      orderId,
      "charged",
      `${(intent.amount / 100).toFixed(2)} ${intent.currency.toUpperCase()}`,
    );
  });
  return { status: "charged", paymentIntentId: intent.id };
}
