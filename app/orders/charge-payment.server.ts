import { NonRetriableError } from "inngest";
import Stripe from "stripe";
import { asService } from "~/db.server";
import { stripe } from "~/services/stripe.server";
import { recordOrderStep } from "./order-history.server";

export type ChargeResult =
  | { status: "charged"; paymentIntentId: string }
  | { status: "declined"; reason: string }
  | { status: "requires_authentication"; paymentIntentId: string };

/**
 * Charges the order once, off-session, to the card the customer saved. The Stripe idempotency key is derived
 * from the order, so a retried step (or a re-delivered event) replays the first PaymentIntent instead of
 * charging again; the payments row is unique per order too. A declined card is an answer, not an error: it is
 * returned so the workflow can tell the user. So is a bank that wants the customer to confirm the payment
 * (Stripe's `authentication_required`): the PaymentIntent waits for them, on-session, with the same card.
 */
export async function chargePayment(orderId: string, customerId: string, paymentMethod: string): Promise<ChargeResult> {
  const [order] = await asService(
    (tx) => tx<{ total_cents: number; currency: string; status: string }[]>`
    select total_cents, currency, status from orders where id = ${orderId}`,
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
    if (!(error instanceof Stripe.errors.StripeCardError)) throw error;
    if (error.code === "authentication_required" && error.payment_intent)
      return { status: "requires_authentication", paymentIntentId: error.payment_intent.id };
    return { status: "declined", reason: error.message };
  }
  await recordCharge(orderId, intent);
  return { status: "charged", paymentIntentId: intent.id };
}

/** Writes a succeeded PaymentIntent as the order's payment, once, and moves the order on to `paid`. */
export async function recordCharge(orderId: string, intent: Stripe.PaymentIntent) {
  await asService(async (tx) => {
    await tx`insert into payments (order_id, user_id, stripe_payment_intent_id, amount_cents, currency, status)
      select id, user_id, ${intent.id}, ${intent.amount}, ${intent.currency}, ${intent.status} from orders
      where id = ${orderId}
      on conflict (order_id) do nothing`;
    await tx`update orders set status = 'paid', updated_at = now()
      where id = ${orderId} and status in ('processing', 'requires_authentication')`;
    await recordOrderStep(
      tx,
      orderId,
      "charged",
      `${(intent.amount / 100).toFixed(2)} ${intent.currency.toUpperCase()}`,
    );
  });
}
