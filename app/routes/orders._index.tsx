import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requireUser } from "~/auth/require-user.server";
import { formatMoney } from "~/components/money";
import { OrderStatusBadge } from "~/components/order-status-badge";
import { withUser } from "~/db.server";
import { pageMeta } from "~/components/page-meta";

export const meta: MetaFunction = () =>
  pageMeta("Your orders", "Every order you have placed on Stepwise and where it is now.");

interface OrderRow {
  id: string;
  status: string;
  total_cents: number;
  currency: string;
  created_at: string;
  items: string;
}

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  const orders = await withUser(
    user.claims,
    (tx) => tx<OrderRow[]>`
    select o.id, o.status, o.total_cents, o.currency, o.created_at,
      string_agg(i.quantity || ' × ' || p.name, ', ' order by p.name) as items
    from orders o join order_items i on i.order_id = o.id join products p on p.id = i.product_id
    group by o.id order by o.created_at desc limit 100`,
  );
  return Response.json({ orders }, { headers: user.headers });
}

export default function Orders() {
  const { orders } = useLoaderData<{ orders: OrderRow[] }>();
  return (
    <>
      <h1>Your orders</h1>
      {orders.length === 0 ? (
        <p>
          No orders yet. <Link to="/shop">Visit the shop</Link>.
        </p>
      ) : (
        <div className="table-scroll">
          <table>
            <thead>
              <tr>
                <th>Order</th>
                <th>Items</th>
                <th>Total</th>
                <th>Status</th>
                <th>Placed</th>
              </tr>
            </thead>
            <tbody>
              {orders.map((order) => (
                <tr key={order.id}>
                  <td>
                    <Link to={`/orders/${order.id}`}>{order.id.slice(0, 8)}</Link>
                  </td>
                  <td>{order.items}</td>
                  <td>{formatMoney(order.total_cents, order.currency)}</td>
                  <td>
                    <OrderStatusBadge status={order.status} />
                  </td>
                  <td>
                    {new Date(order.created_at).toLocaleString("en-GB", {
                      timeZone: "UTC",
                      dateStyle: "medium",
                      timeStyle: "short",
                    })}{" "}
                    UTC
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
