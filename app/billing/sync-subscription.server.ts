import Stripe from "stripe";
import { asService } from "~/db.server";
import { stripe } from "~/services/stripe.server";
import { skipStripeEvent } from "./skip-stripe-event.server";
import { subscriptionPeriodEnd } from "./subscription-period-end.server";

const FOREIGN_KEY_VIOLATION = "23503";

export interface SyncedSubscription {
  subscriptionId: string;
  userId: string;
  status: string;
}

/**
 * Mirrors one subscription as Stripe holds it now. The object is read back from Stripe instead of taken from the
 * event, as Stripe advises, and the workflow applies a customer's events one at a time: so whatever order the
 * deliveries arrive in, and however often, the row ends with Stripe's latest status, price, period end and
 * cancellation. A subscription this account does not hold, or whose customer is no Stepwise user, is skipped.
 */
export async function syncSubscription(
  eventId: string,
  type: string,
  subscriptionId: string,
): Promise<SyncedSubscription> {
  const subscription = await retrieveOrSkip(eventId, type, subscriptionId);
  const customerId = idOf(subscription.customer);
  const userId = await ownerOf(customerId, subscription.metadata?.user_id);
  if (!userId)
    return skipStripeEvent(
      eventId,
      type,
      subscriptionId,
      `customer ${customerId} is no Stepwise user (no checkout by Stepwise, no user_id in the subscription's metadata)`,
    );
  const item = subscription.items.data[0];
  const priceId = item?.price.id ?? null;
  const productId = item ? idOf(item.price.product) : null;
  const seconds = (value: number | null | undefined) => (value ? new Date(value * 1000) : null);
  const written = await asService(async (tx) => {
    await tx`insert into stripe_customers (user_id, stripe_customer_id) values (${userId}, ${customerId}) on conflict do nothing`;
    await tx`insert into subscriptions (user_id, stripe_subscription_id, stripe_customer_id, status, plan, price_id,
        current_period_end, cancel_at_period_end, cancel_at, canceled_at)
      values (${userId}, ${subscription.id}, ${customerId}, ${subscription.status}, ${productId ?? "unknown"}, ${priceId},
        ${subscriptionPeriodEnd(subscription)}, ${subscription.cancel_at_period_end}, ${seconds(subscription.cancel_at)},
        ${seconds(subscription.canceled_at)})
      on conflict (stripe_subscription_id) do update set
        -- Stripe never reactivates a canceled subscription; a read that raced its cancellation must not either.
        status = case when subscriptions.status = 'canceled' then 'canceled' else excluded.status end,
        plan = excluded.plan,
        price_id = excluded.price_id, current_period_end = excluded.current_period_end,
        cancel_at_period_end = excluded.cancel_at_period_end, cancel_at = excluded.cancel_at,
        canceled_at = excluded.canceled_at, updated_at = now()`;
    await tx`insert into processed_stripe_events (stripe_event_id, type) values (${eventId}, ${type}) on conflict do nothing`;
  }).then(
    () => true,
    (error: unknown) => {
      // The account was deleted between finding its owner and writing: its rows are gone for good.
      if ((error as { code?: string }).code === FOREIGN_KEY_VIOLATION) return false;
      throw error;
    },
  );
  if (!written) return skipStripeEvent(eventId, type, subscriptionId, `user ${userId} deleted their account`);
  return { subscriptionId: subscription.id, userId, status: subscription.status };
}

async function retrieveOrSkip(eventId: string, type: string, subscriptionId: string): Promise<Stripe.Subscription> {
  try {
    return await stripe().subscriptions.retrieve(subscriptionId);
  } catch (error) {
    if (error instanceof Stripe.errors.StripeInvalidRequestError && error.code === "resource_missing")
      return skipStripeEvent(
        eventId,
        type,
        subscriptionId,
        `subscription ${subscriptionId} is not in this Stripe account`,
      );
    throw error;
  }
}

export const idOf = (value: string | { id: string } | null | undefined): string =>
  typeof value === "string" ? value : (value?.id ?? "");

/** The Stepwise user behind a Stripe customer: the one it was recorded for, else the user the metadata names. */
async function ownerOf(customerId: string, namedUserId: string | undefined): Promise<string | null> {
  const [row] = await asService(
    (tx) => tx<{ id: string }[]>`
    select user_id as id from stripe_customers where stripe_customer_id = ${customerId}
    union all
    select id from profiles where id::text = ${namedUserId ?? ""}
    limit 1`,
  );
  return row?.id ?? null;
}
