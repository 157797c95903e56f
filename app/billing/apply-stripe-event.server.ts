import type Stripe from "stripe";
import { asService, type Tx } from "~/db.server";
import { stripe } from "~/services/stripe.server";

/**
 * Records a processed Stripe event; false when it was processed before, so a redelivered event changes nothing
 * even if it slips past Inngest's event and function deduplication.
 */
async function claimEvent(eventId: string, type: string, work: (tx: Tx) => Promise<void>): Promise<boolean> {
  return asService(async (tx) => {
    const claimed = await tx`insert into processed_stripe_events (stripe_event_id, type) values (${eventId}, ${type})
      on conflict (stripe_event_id) do nothing returning stripe_event_id`;
    if (claimed.length === 0) return false;
    await work(tx);
    return true;
  });
}

/**
 * Checkout finished: remember the customer and mirror the subscription. The subscription is read back from
 * Stripe, so whichever order events arrive in, the row ends with Stripe's current status.
 */
export async function fulfillCheckout(eventId: string, session: Stripe.Checkout.Session): Promise<{ applied: boolean }> {
  const userId = session.client_reference_id ?? session.metadata?.user_id;
  if (!userId) throw new Error(`Checkout session ${session.id} names no user (client_reference_id)`);
  const customerId = String(session.customer);
  const subscription = session.subscription ? await stripe().subscriptions.retrieve(String(session.subscription)) : null;
  const applied = await claimEvent(eventId, "checkout.session.completed", async (tx) => {
    await tx`insert into stripe_customers (user_id, stripe_customer_id) values (${userId}, ${customerId})
      on conflict (user_id) do update set stripe_customer_id = excluded.stripe_customer_id`;
    if (subscription) {
      const periodEnd = subscriptionPeriodEnd(subscription);
      await tx`insert into subscriptions (user_id, stripe_subscription_id, stripe_customer_id, status, plan, current_period_end, canceled_at)
        values (${userId}, ${subscription.id}, ${customerId}, ${subscription.status}, 'pro', ${periodEnd}, ${subscription.canceled_at ? new Date(subscription.canceled_at * 1000) : null})
        on conflict (stripe_subscription_id) do update set status = excluded.status, current_period_end = excluded.current_period_end,
          canceled_at = excluded.canceled_at, updated_at = now()`;
    }
  });
  return { applied };
}

/** The subscription ended in Stripe: mark it canceled. Waits (by failing the step) until checkout recorded it. */
export async function cancelSubscription(eventId: string, subscription: Stripe.Subscription): Promise<{ applied: boolean }> {
  const [known] = await asService((tx) => tx`select 1 from subscriptions where stripe_subscription_id = ${subscription.id}`);
  if (!known) throw new Error(`Subscription ${subscription.id} is not recorded yet; retrying after its checkout is processed`);
  const applied = await claimEvent(eventId, "customer.subscription.deleted", async (tx) => {
    await tx`update subscriptions set status = 'canceled', canceled_at = coalesce(canceled_at, now()), updated_at = now()
      where stripe_subscription_id = ${subscription.id}`;
  });
  return { applied };
}

function subscriptionPeriodEnd(subscription: Stripe.Subscription): Date | null {
  const seconds = (subscription as unknown as { current_period_end?: number }).current_period_end ?? subscription.items?.data[0]?.current_period_end;
  return seconds ? new Date(seconds * 1000) : null;
}
