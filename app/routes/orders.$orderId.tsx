import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requireUser } from "~/auth/require-user.server";
import { isRowId } from "~/auth/row-id";
import { formatMoney } from "~/components/money";
import { OrderStatusBadge, TERMINAL_ORDER_STATUSES } from "~/components/order-status-badge";
import { usePollWhile } from "~/components/use-poll-while";
import { withUser } from "~/db.server";
import { pageMeta } from "~/components/page-meta";

export const meta: MetaFunction = () =>
  pageMeta("Order", "Where your order is: each step of its workflow as it happens.");

const STEP_LABELS: Record<string, string> = {
  placed: "Order placed",
  inventory_checked: "Inventory checked",
  payment_validated: "Payment validated",
  authentication_requested: "Waiting for you to confirm the payment",
  charged: "Card charged",
  shipped: "Shipped",
  backordered: "Backordered",
  payment_failed: "Payment declined",
  failed: "Order failed",
  refunded: "Charge refunded",
};
const HAPPY_PATH = ["placed", "inventory_checked", "payment_validated", "charged", "shipped"];
const BAD_STEPS = new Set(["backordered", "payment_failed", "failed", "refunded"]);

interface OrderDetail {
  order: {
    id: string;
    status: string;
    total_cents: number;
    currency: string;
    failure_reason: string | null;
    created_at: string;
  };
  items: Array<{ name: string; quantity: number; unit_price_cents: number }>;
  history: Array<{ step: string; detail: string | null; created_at: string }>;
}

const orderNotFound = () => new Response("We could not find that order.", { status: 404 });

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  const orderId = params.orderId;
  if (!isRowId(orderId)) throw orderNotFound();
  const detail = await withUser(user.claims, async (tx) => {
    // Row level security hides other users' orders, so their ids look exactly like ids that do not exist.
    const [order] =
      await tx`select id, status, total_cents, currency, failure_reason, created_at from orders where id = ${orderId}`;
    if (!order) return null;
    const items =
      await tx`select p.name, i.quantity, i.unit_price_cents from order_items i join products p on p.id = i.product_id where i.order_id = ${order.id}`;
    const history =
      await tx`select step, detail, created_at from order_status_history where order_id = ${order.id} order by id`;
    return { order, items, history };
  });
  if (!detail) throw orderNotFound();
  return Response.json(detail, { headers: user.headers });
}

export default function Order() {
  const { order, items, history } = useLoaderData<OrderDetail>();
  const done = TERMINAL_ORDER_STATUSES.has(order.status);
  usePollWhile(!done);
  const reached = new Set(history.map((h) => h.step));
  const upcoming = done ? [] : HAPPY_PATH.filter((step) => !reached.has(step));
  return (
    <>
      <p>
        <Link to="/orders">← All orders</Link>
      </p>
      <h1>
        Order {order.id.slice(0, 8)} <OrderStatusBadge status={order.status} />
      </h1>
      <p>
        {items.map((item) => `${item.quantity} × ${item.name}`).join(", ")} ·{" "}
        {formatMoney(order.total_cents, order.currency)}
      </p>
      {order.failure_reason ? <p className="form-error">{order.failure_reason}</p> : null}
      {order.status === "requires_authentication" ? (
        <p className="notice notice-warn">
          Your bank asks you to confirm this payment before we charge your card.{" "}
          <Link to={`/orders/${order.id}/pay`}>Confirm your payment</Link>
        </p>
      ) : null}
      <h2>Progress</h2>
      <ol className="timeline" aria-live="polite">
        {history.map((entry) => (
          <li key={entry.step} className={BAD_STEPS.has(entry.step) ? "bad" : ""} data-step={entry.step}>
            <strong>{STEP_LABELS[entry.step] ?? entry.step}</strong>
            {entry.detail ? <span className="muted"> — {entry.detail}</span> : null}
            <br />
            <small className="muted">
              {new Date(entry.created_at).toLocaleTimeString("en-GB", { timeZone: "UTC" })} UTC
            </small>
          </li>
        ))}
        {upcoming.map((step) => (
          <li key={step} className="pending muted">
            {STEP_LABELS[step]}
          </li>
        ))}
      </ol>
      {!done ? <p className="muted">This page updates by itself as the order moves along.</p> : null}
    </>
  );
}
