/**
 * What each Stripe subscription status lets a Stepwise customer do, in one place (docs/decisions explain why).
 * - active, trialing: Pro.
 * - past_due: still Pro while Stripe retries the renewal (Smart Retries, about two weeks), with a banner and a
 *   dunning email asking for a new card; Stripe then cancels it or marks it unpaid.
 * - incomplete: the first payment has not gone through (e.g. it awaits authentication); not Pro yet.
 * - unpaid, canceled, incomplete_expired, paused: the free plan; subscribing again starts a new Checkout.
 */
export type SubscriptionStatus =
  "active" | "trialing" | "past_due" | "incomplete" | "incomplete_expired" | "unpaid" | "canceled" | "paused";

export interface Access {
  pro: boolean;
  /** The customer must act (update the card) to keep or regain Pro. */
  needsPaymentUpdate: boolean;
  /** The subscription still exists in Stripe: subscribing again goes to the Customer Portal, not Checkout. */
  live: boolean;
}

const ACCESS: Record<SubscriptionStatus, Access> = {
  active: { pro: true, needsPaymentUpdate: false, live: true },
  trialing: { pro: true, needsPaymentUpdate: false, live: true },
  past_due: { pro: true, needsPaymentUpdate: true, live: true },
  incomplete: { pro: false, needsPaymentUpdate: true, live: true },
  unpaid: { pro: false, needsPaymentUpdate: true, live: true },
  incomplete_expired: { pro: false, needsPaymentUpdate: false, live: false },
  canceled: { pro: false, needsPaymentUpdate: false, live: false },
  paused: { pro: false, needsPaymentUpdate: false, live: true },
};

export function accessFor(status: string | null | undefined): Access {
  return ACCESS[status as SubscriptionStatus] ?? { pro: false, needsPaymentUpdate: false, live: false };
}

/** The statuses of a subscription Stripe still bills or may bill (the SQL side of `live`). */
export const LIVE_STATUSES = (Object.keys(ACCESS) as SubscriptionStatus[]).filter((status) => ACCESS[status].live);
