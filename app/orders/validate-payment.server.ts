import { NonRetriableError } from "inngest";
import { asService } from "~/db.server";
import { stripe } from "~/services/stripe.server";
import { recordOrderStep } from "./order-history.server";

/**
 * Makes sure the buyer is a Stripe customer (created once per user) and the order names a payment method;
 * returns the customer to charge. Idempotent: a retry finds the customer it created before.
 */
export async function validatePayment(orderId: string): Promise<{ customerId: string; paymentMethod: string }> {
  const [order] = await asService(
    (tx) => tx<{ user_id: string; payment_method: string; email: string; stripe_customer_id: string | null }[]>`
    select o.user_id, o.payment_method, p.email, c.stripe_customer_id
    from orders o join profiles p on p.id = o.user_id left join stripe_customers c on c.user_id = o.user_id
    where o.id = ${orderId}`,
  );
  // Neither a missing order nor a malformed payment method changes on retry.
  if (!order) throw new NonRetriableError(`Order ${orderId} does not exist`);
  if (!/^pm_\w+$/.test(order.payment_method))
    throw new NonRetriableError(`Order ${orderId} has no usable payment method (a Stripe PaymentMethod id, pm_...)`);

  let customerId = order.stripe_customer_id;
  if (!customerId) {
    const customer = await stripe().customers.create(
      { email: order.email, metadata: { user_id: order.user_id } },
      { idempotencyKey: `customer-${order.user_id}` },
    );
    customerId = customer.id;
    await asService(
      (tx) => tx`insert into stripe_customers (user_id, stripe_customer_id) values (${order.user_id}, ${customerId})
      on conflict (user_id) do nothing`,
    );
    [{ stripe_customer_id: customerId }] = await asService(
      (tx) => tx<{ stripe_customer_id: string }[]>`
      select stripe_customer_id from stripe_customers where user_id = ${order.user_id}`,
    );
  }
  await asService((tx) => recordOrderStep(tx, orderId, "payment_validated"));
  return { customerId: customerId!, paymentMethod: order.payment_method };
}
