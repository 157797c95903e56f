import { withUser, type UserClaims } from "~/db.server";
import { env } from "~/env.server";
import { stripe } from "~/services/stripe.server";
import { PRO_PLAN } from "./plans";

/**
 * A Stripe Checkout session for the Pro subscription. The user id travels as `client_reference_id`, which the
 * webhook workflow uses to attach the subscription; STRIPE_PRO_PRICE_ID uses a price from the Stripe dashboard.
 */
export async function startCheckout(claims: UserClaims): Promise<string> {
  const [customer] = await withUser(
    claims,
    (tx) => tx<{ stripe_customer_id: string }[]>`select stripe_customer_id from stripe_customers`,
  );
  const { APP_URL, STRIPE_PRO_PRICE_ID } = env();
  const session = await stripe().checkout.sessions.create({
    mode: "subscription",
    client_reference_id: claims.sub,
    metadata: { user_id: claims.sub },
    // On the subscription too, so a cancellation that Stripe delivers before the checkout can still be recorded.
    subscription_data: { metadata: { user_id: claims.sub } },
    ...(customer ? { customer: customer.stripe_customer_id } : { customer_email: claims.email }),
    line_items: [
      STRIPE_PRO_PRICE_ID
        ? { price: STRIPE_PRO_PRICE_ID, quantity: 1 }
        : {
            price_data: {
              currency: PRO_PLAN.currency,
              unit_amount: PRO_PLAN.unitAmount,
              recurring: { interval: "month" },
              product_data: { name: PRO_PLAN.name },
            },
            quantity: 1,
          },
    ],
    success_url: `${APP_URL}/billing/success?session_id={CHECKOUT_SESSION_ID}`,
    cancel_url: `${APP_URL}/billing`,
  });
  if (!session.url) throw new Error("Stripe returned a Checkout session without a URL");
  return session.url;
}

/** Cancels the user's active subscription in Stripe; the webhook workflow records the cancellation. */
export async function cancelActiveSubscription(claims: UserClaims): Promise<boolean> {
  const [subscription] = await withUser(
    claims,
    (tx) => tx<{ stripe_subscription_id: string }[]>`
    select stripe_subscription_id from subscriptions where status in ('active', 'trialing', 'past_due') order by created_at desc limit 1`,
  );
  if (!subscription) return false;
  await stripe().subscriptions.cancel(subscription.stripe_subscription_id);
  return true;
}

/** The user's latest subscription as the webhook workflow recorded it, or null. */
export async function currentSubscription(claims: UserClaims) {
  const [row] = await withUser(
    claims,
    (tx) => tx<{ status: string; plan: string; current_period_end: string | null; canceled_at: string | null }[]>`
    select status, plan, current_period_end, canceled_at from subscriptions order by created_at desc limit 1`,
  );
  return row ?? null;
}
