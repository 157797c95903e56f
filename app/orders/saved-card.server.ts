import Stripe from "stripe";
import { ensureStripeCustomer } from "~/billing/stripe-customer.server";
import { idOf } from "~/billing/sync-subscription.server";
import { asService, type Tx, type UserClaims } from "~/db.server";
import { env } from "~/env.server";
import { stripe } from "~/services/stripe.server";

export interface SavedCard {
  brand: string;
  last4: string;
  expMonth: number;
  expYear: number;
}

// The shop sells in one currency; Stripe needs it in setup mode to know which payment methods to offer.
const SHOP_CURRENCY = "usd";

/**
 * Where "save a card" goes: Stripe Checkout in setup mode for the user's customer, so the card is collected (and
 * authenticated, if the bank asks) once, on Stripe's page, and orders can charge it later without the customer.
 */
export async function startCardSetup(claims: UserClaims): Promise<string> {
  const customer = await ensureStripeCustomer(claims.sub, claims.email ?? "");
  const { APP_URL } = env();
  const session = await stripe().checkout.sessions.create({
    mode: "setup",
    currency: SHOP_CURRENCY,
    customer,
    client_reference_id: claims.sub,
    setup_intent_data: { metadata: { user_id: claims.sub } },
    success_url: `${APP_URL}/shop/card?session_id={CHECKOUT_SESSION_ID}`,
    cancel_url: `${APP_URL}/shop`,
  });
  if (!session.url) throw new Error("Stripe returned a Checkout session without a URL");
  return session.url;
}

/**
 * The customer came back from Checkout: the session must be the user's own completed setup (anyone can put a
 * session id in the URL), then its card is saved as the webhook workflow would save it.
 */
export async function saveCardFromCheckout(userId: string, sessionId: string): Promise<SavedCard | null> {
  if (!/^cs_\w+$/.test(sessionId)) return null;
  const session = await stripe()
    .checkout.sessions.retrieve(sessionId)
    .catch((error: unknown) => {
      if (error instanceof Stripe.errors.StripeInvalidRequestError) return null;
      throw error;
    });
  if (!session) return null;
  if (session.client_reference_id !== userId || session.mode !== "setup" || session.status !== "complete") return null;
  return saveCardFromSetup(userId, idOf(session.setup_intent));
}

/**
 * Records the card a succeeded SetupIntent saved, read from Stripe rather than from the event, for the user whose
 * Stripe customer it belongs to. The SetupIntent's creation time orders concurrent setups: the newer card wins
 * however the webhook and the return from Checkout interleave. Null when the setup saved nothing usable.
 */
export async function saveCardFromSetup(userId: string, setupIntentId: string): Promise<SavedCard | null> {
  const intent = await stripe().setupIntents.retrieve(setupIntentId, { expand: ["payment_method"] });
  const method = intent.payment_method as Stripe.PaymentMethod | null;
  if (intent.status !== "succeeded" || !method?.card) return null;
  const card = method.card;
  const written = await asService(async (tx) => {
    const [owner] = await tx`select 1 from stripe_customers
      where user_id = ${userId} and stripe_customer_id = ${idOf(intent.customer)}`;
    if (!owner) return false;
    await tx`insert into saved_cards (user_id, stripe_payment_method_id, brand, last4, exp_month, exp_year, stripe_created_at)
      values (${userId}, ${method.id}, ${card.brand}, ${card.last4}, ${card.exp_month}, ${card.exp_year},
        to_timestamp(${intent.created}))
      on conflict (user_id) do update set stripe_payment_method_id = excluded.stripe_payment_method_id,
        brand = excluded.brand, last4 = excluded.last4, exp_month = excluded.exp_month, exp_year = excluded.exp_year,
        stripe_created_at = excluded.stripe_created_at, updated_at = now()
      where saved_cards.stripe_created_at <= excluded.stripe_created_at`;
    return true;
  });
  return written ? { brand: card.brand, last4: card.last4, expMonth: card.exp_month, expYear: card.exp_year } : null;
}

/** The card the signed-in user's orders are charged to, or null, read in the caller's transaction. */
export async function readSavedCard(tx: Tx): Promise<SavedCard | null> {
  const [row] = await tx<SavedCard[]>`
    select brand, last4, exp_month as "expMonth", exp_year as "expYear" from saved_cards`;
  return row ?? null;
}
