import type { LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { requireUser } from "~/auth/require-user.server";
import { portalUrlFor } from "~/billing/checkout.server";

/**
 * Opens the Stripe Customer Portal (change plan, cancel or resume, replace the card). A link target, so the
 * dunning email and the past-due banner can point here; a portal session expires soon, so each visit makes one.
 */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  const url = await portalUrlFor(user.claims);
  return redirect(url ?? "/pricing", { headers: user.headers });
}
