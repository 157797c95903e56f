import { withUser, type Tx, type UserClaims } from "~/db.server";
import { env } from "~/env.server";
import { stripe } from "~/services/stripe.server";
import { ensureStripeCustomer } from "./stripe-customer.server";
import { accessFor, LIVE_STATUSES } from "./subscription-access";

export class CheckoutError extends Error {}

const NOT_ON_SALE = "That plan is not on sale: choose one from the pricing page.";

/**
 * Where "subscribe to this price" goes: a Checkout session in subscription mode for the user's Stripe customer,
 * with the user id as `client_reference_id` (the webhook workflow ties the subscription to it) — or, when the
 * customer already has a live subscription in Stripe, the Customer Portal, so no one pays for two.
 */
export async function startCheckout(claims: UserClaims, priceId: string): Promise<string> {
  // Stripe's ids are short and plain; anything else (a NUL the database refuses, a novel) is not one of ours.
  if (!/^price_[A-Za-z0-9_]{1,200}$/.test(priceId)) throw new CheckoutError(NOT_ON_SALE);
  const [price] = await withUser(
    claims,
    (tx) => tx`select 1 from billing_prices where id = ${priceId} and active and recurring_interval is not null`,
  );
  if (!price) throw new CheckoutError(NOT_ON_SALE);
  const customer = await ensureStripeCustomer(claims.sub, claims.email ?? "");
  const existing = await stripe().subscriptions.list({ customer, status: "all", limit: 20 });
  if (existing.data.some((subscription) => accessFor(subscription.status).live)) return openPortal(customer);
  const { APP_URL } = env();
  const session = await stripe().checkout.sessions.create({
    mode: "subscription",
    customer,
    client_reference_id: claims.sub,
    // On the subscription too, so its events can name the user even before the checkout's event is applied.
    subscription_data: { metadata: { user_id: claims.sub } },
    line_items: [{ price: priceId, quantity: 1 }],
    success_url: `${APP_URL}/billing/success?session_id={CHECKOUT_SESSION_ID}`,
    cancel_url: `${APP_URL}/pricing`,
  });
  if (!session.url) throw new Error("Stripe returned a Checkout session without a URL");
  return session.url;
}

/** A Customer Portal session for the user, returning to the billing page; null if they were never a customer. */
export async function portalUrlFor(claims: UserClaims): Promise<string | null> {
  const [row] = await withUser(
    claims,
    (tx) => tx<{ stripe_customer_id: string }[]>`select stripe_customer_id from stripe_customers`,
  );
  return row ? openPortal(row.stripe_customer_id) : null;
}

async function openPortal(customer: string): Promise<string> {
  const session = await stripe().billingPortal.sessions.create({ customer, return_url: `${env().APP_URL}/billing` });
  return session.url;
}

export interface CurrentSubscription {
  status: string;
  planName: string | null;
  unitAmount: number | null;
  currency: string | null;
  interval: string | null;
  currentPeriodEnd: string | null;
  cancelAtPeriodEnd: boolean;
  cancelAt: string | null;
}

/** The user's live subscription as the webhook workflow recorded it (else their latest one), or null. */
export async function readCurrentSubscription(tx: Tx): Promise<CurrentSubscription | null> {
  const [row] = await tx<CurrentSubscription[]>`
    select s.status, p.name as "planName", pr.unit_amount as "unitAmount", pr.currency, pr.recurring_interval as interval,
      s.current_period_end as "currentPeriodEnd", s.cancel_at_period_end as "cancelAtPeriodEnd", s.cancel_at as "cancelAt"
    from subscriptions s left join billing_prices pr on pr.id = s.price_id left join billing_products p on p.id = pr.product_id
    order by s.status = any(${LIVE_STATUSES}) desc, s.created_at desc limit 1`;
  return row ?? null;
}
