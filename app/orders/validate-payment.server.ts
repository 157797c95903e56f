import { NonRetriableError } from "inngest";
import { ensureStripeCustomer } from "~/billing/stripe-customer.server";
import { asService } from "~/db.server";
import { recordOrderStep } from "./order-history.server";

/**
 * Makes sure the buyer is a Stripe customer (created once per user) and the order names the saved card it is
 * charged to; returns the customer to charge. Idempotent: a retry finds the customer it created before.
 */
export async function validatePayment(orderId: string): Promise<{ customerId: string; paymentMethod: string }> {
  const [order] = await asService(
    (tx) => tx<{ user_id: string; payment_method: string; email: string }[]>`
    select o.user_id, o.payment_method, p.email from orders o join profiles p on p.id = o.user_id
    where o.id = ${orderId}`,
  );
  // Neither a missing order nor a malformed payment method changes on retry.
  if (!order) throw new NonRetriableError(`Order ${orderId} does not exist`);
  if (!/^pm_\w+$/.test(order.payment_method))
    throw new NonRetriableError(`Order ${orderId} has no usable payment method (a Stripe PaymentMethod id, pm_...)`);
  const customerId = await ensureStripeCustomer(order.user_id, order.email);
  await asService((tx) => recordOrderStep(tx, orderId, "payment_validated"));
  return { customerId, paymentMethod: order.payment_method };
}
