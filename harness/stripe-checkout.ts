/** Submits the Stripe emulator's hosted Checkout page with a test card, as a customer fills it in. */
export async function payOnHostedCheckout(
  checkoutUrl: string,
  { card = "4242424242424242", email = "buyer@example.com" }: { card?: string; email?: string } = {},
  send: (request: Request) => Promise<Response> = fetch,
): Promise<Response> {
  const body = new URLSearchParams({ email, card, exp: "12 / 34", cvc: "123" });
  return send(
    new Request(`${checkoutUrl}/pay`, {
      method: "POST",
      body,
      headers: { "content-type": "application/x-www-form-urlencoded" },
      redirect: "manual",
    }),
  );
}
