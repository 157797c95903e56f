import type Stripe from "stripe";
import { stripe } from "~/services/stripe.server";
import { claimStripeEvent } from "./claim-stripe-event.server";
import { subscriptionPeriodEnd } from "./subscription-period-end.server";

/**
 * Checkout finished: remember the customer and mirror the subscription. The subscription is read back from
 * Stripe (before the transaction: the embedded database allows one open transaction at a time), so whichever
 * order events arrive in, the row ends with Stripe's current status. A subscription already recorded as canceled
 * stays canceled: Stripe never reactivates one, so a checkout read before the cancellation must not revive it.
 */
export async function fulfillCheckout(
  eventId: string,
  session: Stripe.Checkout.Session,
): Promise<{ applied: boolean }> {
  const userId = session.client_reference_id ?? session.metadata?.user_id;
  if (!userId) throw new Error(`Checkout session ${session.id} names no user: create it with client_reference_id`);
  const customerId = String(session.customer);
  const subscription = session.subscription
    ? await stripe().subscriptions.retrieve(String(session.subscription))
    : null;
  const applied = await claimStripeEvent(eventId, "checkout.session.completed", async (tx) => {
    await tx`insert into stripe_customers (user_id, stripe_customer_id) values (${userId}, ${customerId})
      on conflict (user_id) do update set stripe_customer_id = excluded.stripe_customer_id`;
    if (!subscription) return;
    const canceledAt = subscription.canceled_at ? new Date(subscription.canceled_at * 1000) : null;
    await tx`insert into subscriptions (user_id, stripe_subscription_id, stripe_customer_id, status, plan, current_period_end, canceled_at)
      values (${userId}, ${subscription.id}, ${customerId}, ${subscription.status}, 'pro', ${subscriptionPeriodEnd(subscription)}, ${canceledAt})
      on conflict (stripe_subscription_id) do update set
        status = case when subscriptions.status = 'canceled' then subscriptions.status else excluded.status end,
        current_period_end = excluded.current_period_end,
        canceled_at = coalesce(subscriptions.canceled_at, excluded.canceled_at), updated_at = now()`;
  });
  return { applied };
}
