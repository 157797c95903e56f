import type Stripe from "stripe";

// A Stepwise Pro subscription bought through Checkout on the Stripe emulator's hosted page, for the tests that
// act the buyer's part without the billing page.

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

/** Pays on the hosted page with a card that succeeds; `send` reaches the emulator (fetch, or its handler). */
export function payOnHostedPage(
  checkoutUrl: string,
  send: (request: Request) => Promise<Response> = fetch,
): Promise<Response> {
  return send(
    new Request(`${checkoutUrl}/pay`, {
      method: "POST",
      body: "card=4242424242424242",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      redirect: "manual",
    }),
  );
}
