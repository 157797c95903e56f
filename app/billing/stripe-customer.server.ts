import { asService } from "~/db.server";
import { stripe } from "~/services/stripe.server";

/**
 * The user's Stripe customer, created once: the idempotency key makes a retried or concurrent call find the
 * customer the first one created, and the row is written only if none is recorded yet.
 */
export async function ensureStripeCustomer(userId: string, email: string): Promise<string> {
  const existing = await recordedCustomer(userId);
  if (existing) return existing;
  const customer = await stripe().customers.create(
    { email, metadata: { user_id: userId } },
    { idempotencyKey: `customer-${userId}` },
  );
  await asService(
    (tx) => tx`insert into stripe_customers (user_id, stripe_customer_id) values (${userId}, ${customer.id})
      on conflict do nothing`,
  );
  return (await recordedCustomer(userId))!;
}

async function recordedCustomer(userId: string): Promise<string | null> {
  const [row] = await asService(
    (tx) => tx<{ stripe_customer_id: string }[]>`
    select stripe_customer_id from stripe_customers where user_id = ${userId}`,
  );
  return row?.stripe_customer_id ?? null;
}
