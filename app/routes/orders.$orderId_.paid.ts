import type { LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { requireUser } from "~/auth/require-user.server";
import { isRowId } from "~/auth/row-id";
import { redirectWithFlash } from "~/flash.server";
import { announceConfirmedPayment, paymentToConfirm } from "~/orders/confirm-payment.server";

/**
 * Where the bank's authentication page sends the customer back (the PaymentIntent's `return_url`). Stripe
 * decides what happened, not this URL: a payment that went through wakes the order workflow; one the bank did
 * not confirm leaves the order waiting, and the customer can try again.
 */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  const orderId = params.orderId;
  if (!isRowId(orderId)) throw new Response("We could not find that order.", { status: 404 });
  const order = await paymentToConfirm(user.claims, orderId);
  if (!order) return redirect(`/orders/${orderId}`, { headers: user.headers });
  if (await announceConfirmedPayment(order))
    return redirectWithFlash(`/orders/${orderId}`, "Payment confirmed. Your order is on its way.", user.headers);
  return redirectWithFlash(
    `/orders/${orderId}/pay`,
    "Your bank did not confirm the payment, so nothing was charged. You can try again.",
    user.headers,
  );
}
