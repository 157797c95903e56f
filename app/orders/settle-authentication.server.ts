import { stripe } from "~/services/stripe.server";
import { recordCharge, type ChargeResult } from "./charge-payment.server";

/** How long an order waits for the customer to confirm a payment their bank asked about. */
export const AUTHENTICATION_WINDOW = "3d";
const EXPIRED = "You did not confirm the payment with your bank within 3 days, so the order was not charged.";

/**
 * What became of a payment the customer was asked to confirm, read from Stripe (the event that woke the
 * workflow only says something happened): succeeded ⇒ the charge is recorded; anything else once the wait is
 * over ⇒ the PaymentIntent is canceled, so a late confirmation cannot charge an order that has given up.
 */
export async function settleAuthentication(
  orderId: string,
  paymentIntentId: string,
): Promise<Exclude<ChargeResult, { status: "requires_authentication" }>> {
  const intent = await stripe().paymentIntents.retrieve(paymentIntentId);
  if (intent.status === "succeeded") {
    await recordCharge(orderId, intent);
    return { status: "charged", paymentIntentId };
  }
  if (intent.status !== "canceled")
    await stripe().paymentIntents.cancel(paymentIntentId, {}, { idempotencyKey: `order-${orderId}-cancel-payment` });
  return { status: "declined", reason: EXPIRED };
}
