import type Stripe from "stripe";
import { asService } from "~/db.server";
import { skipStripeEvent } from "./skip-stripe-event.server";
import { idOf } from "./sync-subscription.server";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Checkout finished: tie the Stripe customer to the user the session names in `client_reference_id` (Stepwise
 * always sets it) and say what the checkout bought. A session without one, or naming no Stepwise user, came from
 * another integration on the account (or a deleted account): it is recorded as skipped, not retried.
 */
export async function fulfillCheckout(
  eventId: string,
  session: Stripe.Checkout.Session,
): Promise<{ userId: string; subscriptionId: string | null; setupIntentId: string | null }> {
  const type = "checkout.session.completed";
  const userId = session.client_reference_id;
  if (!userId)
    return skipStripeEvent(
      eventId,
      type,
      session.id,
      "the session has no client_reference_id: Stepwise did not start it",
    );
  const customerId = idOf(session.customer);
  const [known] = UUID.test(userId) ? await asService((tx) => tx`select 1 from profiles where id = ${userId}`) : [];
  if (!known) return skipStripeEvent(eventId, type, session.id, `client_reference_id ${userId} is no Stepwise user`);
  if (!customerId) return skipStripeEvent(eventId, type, session.id, "the session has no customer");
  await asService(async (tx) => {
    await tx`insert into stripe_customers (user_id, stripe_customer_id) values (${userId}, ${customerId}) on conflict do nothing`;
    await tx`insert into processed_stripe_events (stripe_event_id, type) values (${eventId}, ${type}) on conflict do nothing`;
  });
  return {
    userId,
    subscriptionId: session.mode === "subscription" ? idOf(session.subscription) || null : null,
    setupIntentId: session.mode === "setup" ? idOf(session.setup_intent) || null : null,
  };
}
