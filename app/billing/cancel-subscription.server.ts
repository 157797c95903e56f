import type Stripe from "stripe";
import { asService } from "~/db.server";
import { claimStripeEvent } from "./claim-stripe-event.server";
import { subscriptionPeriodEnd } from "./subscription-period-end.server";

/**
 * The subscription ended in Stripe: mark it canceled. Stripe does not promise delivery order, so the deletion
 * may arrive before the checkout that created the subscription (by days, when the checkout's deliveries failed).
 * Then it records the subscription as canceled itself, for the user the subscription names (Checkout puts the user
 * id in its metadata) or whose Stripe customer it belongs to; the checkout, applied later, never un-cancels it.
 * Only a subscription that names no known user fails the step, so Inngest retries it until the checkout is in.
 */
export async function cancelSubscription(
  eventId: string,
  subscription: Stripe.Subscription,
): Promise<{ applied: boolean }> {
  const [known] = await asService(
    (tx) => tx`select 1 from subscriptions where stripe_subscription_id = ${subscription.id}`,
  );
  const userId = known ? null : await ownerOf(subscription);
  if (!known && !userId)
    throw new Error(`Subscription ${subscription.id} is not recorded yet; retrying after its checkout is processed`);
  const canceledAt = subscription.canceled_at ? new Date(subscription.canceled_at * 1000) : new Date();
  const applied = await claimStripeEvent(eventId, "customer.subscription.deleted", async (tx) => {
    if (userId) {
      await tx`insert into subscriptions (user_id, stripe_subscription_id, stripe_customer_id, status, plan, current_period_end, canceled_at)
        values (${userId}, ${subscription.id}, ${String(subscription.customer)}, 'canceled', 'pro', ${subscriptionPeriodEnd(subscription)}, ${canceledAt})
        on conflict (stripe_subscription_id) do nothing`;
    }
    await tx`update subscriptions set status = 'canceled', canceled_at = coalesce(canceled_at, ${canceledAt}), updated_at = now()
      where stripe_subscription_id = ${subscription.id}`;
  });
  return { applied };
}

/** The Stepwise user a subscription belongs to, from its metadata or its customer, if either is known here. */
async function ownerOf(subscription: Stripe.Subscription): Promise<string | null> {
  const named = subscription.metadata?.user_id ?? null;
  const customer = subscription.customer
    ? String(typeof subscription.customer === "string" ? subscription.customer : subscription.customer.id)
    : null;
  const [row] = await asService(
    (tx) => tx<{ id: string }[]>`
    select id from profiles where id::text = ${named ?? ""}
    union all
    select user_id from stripe_customers where stripe_customer_id = ${customer ?? ""}
    limit 1`,
  );
  return row?.id ?? null;
}
