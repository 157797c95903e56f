import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { requireUser } from "~/auth/require-user.server";
import { isRowId } from "~/auth/row-id";
import { formatMoney } from "~/components/money";
import { pageMeta } from "~/components/page-meta";
import { redirectWithFlash } from "~/flash.server";
import { paymentToConfirm, startPaymentConfirmation, type PaymentToConfirm } from "~/orders/confirm-payment.server";
import { FormError } from "~/components/form-error";

export const meta: MetaFunction = () =>
  pageMeta("Confirm your payment", "Your bank asks you to confirm a payment for your Stepwise order.");

/** The order, if it waits for its owner to confirm the payment; any other order goes to its own page. */
async function orderToConfirm(request: Request, orderId: string | undefined) {
  const user = await requireUser(request);
  if (!isRowId(orderId)) throw new Response("We could not find that order.", { status: 404 });
  const order = await paymentToConfirm(user.claims, orderId);
  if (!order) throw redirect(`/orders/${orderId}`, { headers: user.headers });
  return { user, order };
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { user, order } = await orderToConfirm(request, params.orderId);
  return Response.json({ order }, { headers: user.headers });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { user, order } = await orderToConfirm(request, params.orderId);
  const started = await startPaymentConfirmation(order);
  if ("redirectTo" in started) return redirect(started.redirectTo, { headers: user.headers });
  if ("confirmed" in started)
    return redirectWithFlash(`/orders/${order.id}`, "Payment confirmed. Your order is on its way.", user.headers);
  return Response.json({ error: started.error }, { status: 402, headers: user.headers });
}

export default function ConfirmPayment() {
  const { order } = useLoaderData<{ order: PaymentToConfirm }>();
  const failed = useActionData<{ error: string }>();
  const busy = useNavigation().state !== "idle";
  return (
    <section className="card narrow">
      <h1>Confirm your payment</h1>
      <p>
        Your bank asks you to confirm the payment of <strong>{formatMoney(order.totalCents, order.currency)}</strong>{" "}
        for order {order.id.slice(0, 8)} before we charge your saved card. The order ships once you do.
      </p>
      <FormError message={failed?.error} />
      <Form method="post">
        <button type="submit" disabled={busy}>
          {busy ? "Opening your bank's page…" : "Confirm with your bank"}
        </button>
      </Form>
      <p>
        <Link to={`/orders/${order.id}`}>Back to the order</Link>
      </p>
    </section>
  );
}
