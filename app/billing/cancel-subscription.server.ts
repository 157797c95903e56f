import type Stripe from "stripe";
import { asService } from "~/db.server";
import { claimStripeEvent } from "./claim-stripe-event.server";

/**
 * The subscription ended in Stripe: mark it canceled. Stripe does not promise delivery order, so a deletion
 * that arrives before its checkout fails the step, and Inngest retries it until the checkout has been recorded.
 */
export async function cancelSubscription(eventId: string, subscription: Stripe.Subscription): Promise<{ applied: boolean }> {
  const [known] = await asService((tx) => tx`select 1 from subscriptions where stripe_subscription_id = ${subscription.id}`);
  if (!known) throw new Error(`Subscription ${subscription.id} is not recorded yet; retrying after its checkout is processed`);
  const applied = await claimStripeEvent(eventId, "customer.subscription.deleted", async (tx) => {
    await tx`update subscriptions set status = 'canceled', canceled_at = coalesce(canceled_at, now()), updated_at = now()
      where stripe_subscription_id = ${subscription.id}`;
  });
  return { applied };
}
