import { asService } from "~/db.server";
import { recordOrderStep } from "./order-history.server";

/**
 * The bank wants the customer to confirm the off-session charge: the order waits in `requires_authentication`,
 * keeping the PaymentIntent the customer confirms from the link they are sent. Writing it twice, as a retried
 * step does, leaves the order as once.
 */
export async function awaitAuthentication(orderId: string, paymentIntentId: string) {
  await asService(async (tx) => {
    await tx`update orders set status = 'requires_authentication', payment_intent_id = ${paymentIntentId},
      updated_at = now() where id = ${orderId} and status = 'processing'`;
    await recordOrderStep(tx, orderId, "authentication_requested", "Your bank asks you to confirm the payment.");
  });
}
