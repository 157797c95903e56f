import Stripe from "stripe";
import { asService, withUser, type UserClaims } from "~/db.server";
import { env } from "~/env.server";
import { orderPaymentConfirmed } from "~/inngest/events.server";
import { enqueueEvent } from "~/outbox/enqueue-event.server";
import { relayEvents } from "~/outbox/relay-events.server";
import { stripe } from "~/services/stripe.server";

export interface PaymentToConfirm {
  id: string;
  totalCents: number;
  currency: string;
  paymentIntentId: string;
  paymentMethod: string;
}

/** The caller's own order that waits for them to confirm its payment, or null (row level security hides others'). */
export async function paymentToConfirm(claims: UserClaims, orderId: string): Promise<PaymentToConfirm | null> {
  const [order] = await withUser(
    claims,
    (tx) => tx<PaymentToConfirm[]>`
    select id, total_cents as "totalCents", currency, payment_intent_id as "paymentIntentId",
      payment_method as "paymentMethod"
    from orders where id = ${orderId} and status = 'requires_authentication' and payment_intent_id is not null`,
  );
  return order ?? null;
}

export type ConfirmationStart = { redirectTo: string } | { confirmed: true } | { error: string };

/**
 * The customer is here to confirm the payment: the PaymentIntent is confirmed again, on-session, with the card
 * that was charged (as Stripe advises after `authentication_required`), and answers with the bank's page to
 * send them to. It comes back to `/orders/<id>/paid`.
 */
export async function startPaymentConfirmation(order: PaymentToConfirm): Promise<ConfirmationStart> {
  try {
    const intent = await stripe().paymentIntents.confirm(order.paymentIntentId, {
      payment_method: order.paymentMethod,
      return_url: `${env().APP_URL}/orders/${order.id}/paid`,
    });
    if (intent.status === "succeeded") return (await announceConfirmedPayment(order)) ? { confirmed: true } : fail();
    const url = intent.next_action?.redirect_to_url?.url;
    return url ? { redirectTo: url } : fail();
  } catch (error) {
    if (error instanceof Stripe.errors.StripeCardError) return { error: error.message };
    throw error;
  }
}

const fail = () => ({ error: "Stripe could not start the confirmation. Please try again." });

/**
 * Tells the waiting order workflow, through the outbox, that the payment went through; true if it did. The
 * PaymentIntent is read from Stripe, never taken from the URL the bank's page redirected to.
 */
export async function announceConfirmedPayment(order: PaymentToConfirm): Promise<boolean> {
  const intent = await stripe().paymentIntents.retrieve(order.paymentIntentId);
  if (intent.status !== "succeeded") return false;
  const eventId = await asService((tx) =>
    enqueueEvent(
      tx,
      orderPaymentConfirmed.create({ orderId: order.id }, { id: `order-payment-confirmed-${order.id}` }),
    ),
  );
  await relayEvents([eventId]);
  return true;
}
