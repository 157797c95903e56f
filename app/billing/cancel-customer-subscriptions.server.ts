import { asService } from "~/db.server";
import { stripe } from "~/services/stripe.server";
import { accessFor } from "./subscription-access";

/**
 * Cancels, at once, every subscription Stripe still bills the user for: an account being deleted must stop
 * being charged first. Safe to repeat: a second call finds only what the first did not cancel.
 */
export async function cancelCustomerSubscriptions(userId: string): Promise<string[]> {
  const [row] = await asService(
    (tx) => tx<{ stripe_customer_id: string }[]>`
    select stripe_customer_id from stripe_customers where user_id = ${userId}`,
  );
  if (!row) return [];
  const canceled: string[] = [];
  for await (const subscription of stripe().subscriptions.list({ customer: row.stripe_customer_id, status: "all" })) {
    if (!accessFor(subscription.status).live) continue;
    await stripe().subscriptions.cancel(subscription.id);
    canceled.push(subscription.id);
  }
  return canceled;
}
