import { payOnHostedCheckout } from "../../harness/stripe-checkout";

/**
 * Saves a test card for the user as the shop does: Checkout in setup mode, the card entered on the hosted page
 * (authenticated when its bank asks), then the return to the app. Import it after the stack has set the env.
 */
export async function saveCard(
  claims: { sub: string; email?: string; role: string },
  card = "4242424242424242",
  send: (request: Request) => Promise<Response> = fetch,
) {
  const { saveCardFromCheckout, startCardSetup } = await import("../../app/orders/saved-card.server");
  const completed = await payOnHostedCheckout(await startCardSetup(claims), { card }, send);
  const location = completed.headers.get("location");
  const sessionId = location ? new URL(location).searchParams.get("session_id") : null;
  if (!sessionId) throw new Error(`Checkout did not save card ${card}: HTTP ${completed.status}`);
  const saved = await saveCardFromCheckout(claims.sub, sessionId);
  if (!saved) throw new Error(`Card ${card} was not saved for ${claims.sub}`);
  return saved;
}
