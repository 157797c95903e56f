import type Stripe from "stripe";

// A Stepwise Pro subscription Checkout, for the tests that act the buyer's part without the billing page (they pay
// it with harness/stripe-checkout.ts, as a customer fills in the hosted page).

/** Creates a subscription Checkout session for Stepwise Pro (what app/billing/checkout.server.ts asks for). */
export function createProCheckout(
  stripe: Stripe,
  params: Omit<Stripe.Checkout.SessionCreateParams, "mode" | "line_items">,
): Promise<Stripe.Checkout.Session> {
  return stripe.checkout.sessions.create({
    mode: "subscription",
    line_items: [
      {
        price_data: {
          currency: "usd",
          unit_amount: 1200,
          recurring: { interval: "month" },
          product_data: { name: "Stepwise Pro" },
        },
        quantity: 1,
      },
    ],
    ...params,
  });
}
