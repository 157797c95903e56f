import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireUser } from "~/auth/require-user.server";
import { redirectWithFlash } from "~/flash.server";
import { saveCardFromCheckout } from "~/orders/saved-card.server";

/**
 * Where Checkout (setup mode) sends the customer back. The card is saved here at once, so the shop shows it
 * on arrival, and by the webhook workflow too, for a customer who closed the tab before the redirect.
 */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  const sessionId = new URL(request.url).searchParams.get("session_id") ?? "";
  const card = await saveCardFromCheckout(user.claims.sub, sessionId);
  if (!card)
    throw new Response("This link does not finish a card setup of yours. Save your card again from the shop.", {
      status: 400,
    });
  return redirectWithFlash(
    "/shop",
    `Your ${card.brand} card ending ${card.last4} is saved. Orders are charged to it.`,
    user.headers,
  );
}
