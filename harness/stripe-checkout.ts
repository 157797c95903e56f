/**
 * Submits the Stripe emulator's hosted Checkout page with a test card, as a customer fills it in. A card whose
 * bank asks for authentication (3D Secure) gets the bank's page: `authenticate` says how the customer answers.
 */
export async function payOnHostedCheckout(
  checkoutUrl: string,
  {
    card = "4242424242424242",
    email = "buyer@example.com",
    authenticate = "complete",
  }: { card?: string; email?: string; authenticate?: "complete" | "fail" } = {},
  send: (request: Request) => Promise<Response> | Response = fetch,
): Promise<Response> {
  const post = (path: string, fields: Record<string, string>) =>
    send(
      new Request(`${checkoutUrl}/${path}`, {
        method: "POST",
        body: new URLSearchParams(fields),
        headers: { "content-type": "application/x-www-form-urlencoded" },
        redirect: "manual",
      }),
    );
  const fields = { email, card, exp: "12 / 34", cvc: "123" };
  const paid = await post("pay", fields);
  const asksForAuthentication = paid.status === 200 && (await paid.clone().text()).includes("/authenticate");
  return asksForAuthentication ? post("authenticate", { ...fields, result: authenticate }) : paid;
}
