import type Stripe from "stripe";

/**
 * When the paid period ends. Stripe moved `current_period_end` from the subscription to its items (API
 * 2025-03-31); read either so the mirror works whichever API version the account pins.
 */
export function subscriptionPeriodEnd(subscription: Stripe.Subscription): Date | null {
  const legacy = (subscription as unknown as { current_period_end?: number }).current_period_end;
  const seconds = legacy ?? subscription.items?.data[0]?.current_period_end;
  return seconds ? new Date(seconds * 1000) : null;
}
