import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { requireUser } from "~/auth/require-user.server";
import { formatMoney } from "~/components/money";
import { withUser } from "~/db.server";
import { PlaceOrderInput, placeOrder } from "~/orders/place-order.server";
import { checkRateLimit, retryAfterHeaders } from "~/rate-limits/check-rate-limit.server";

export const meta: MetaFunction = () => [{ title: "Shop · Stepwise" }];

interface Product {
  id: string;
  name: string;
  description: string;
  price_cents: number;
  currency: string;
  on_hand: number;
}

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const products = await withUser(
    user.claims,
    (tx) => tx<Product[]>`
    select p.id, p.name, p.description, p.price_cents, p.currency, coalesce(i.on_hand, 0) as on_hand
    from products p left join inventory i on i.product_id = p.id order by p.price_cents`,
  );
  return Response.json({ products }, { headers: user.headers });
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const form = Object.fromEntries(await request.formData());
  const parsed = PlaceOrderInput.safeParse(form);
  if (!parsed.success) {
    return Response.json({ productId: form.productId, error: parsed.error.issues[0]!.message }, { status: 400 });
  }
  const limited = await checkRateLimit("order", request, user.claims.sub);
  if (!limited.allowed) {
    return Response.json(
      { productId: form.productId, error: limited.message },
      { status: 429, headers: retryAfterHeaders(limited, user.headers) },
    );
  }
  const result = await placeOrder(user.claims, parsed.data);
  if ("error" in result) return Response.json({ productId: form.productId, error: result.error }, { status: 400 });
  return redirect(`/orders/${result.orderId}`, { headers: user.headers });
}

export default function Shop() {
  const { products } = useLoaderData<{ products: Product[] }>();
  const failed = useActionData<{ productId: string; error: string }>();
  const navigation = useNavigation();
  const [params] = useSearchParams();
  return (
    <>
      {params.get("welcome") ? <p className="notice">Welcome to Stepwise! Your welcome email is on its way.</p> : null}
      <h1>Shop</h1>
      <p className="muted">Pay with a Stripe test card: the Visa is charged, the “declined” card is refused.</p>
      <ul className="grid">
        {products.map((product) => {
          const busy = navigation.state !== "idle" && navigation.formData?.get("productId") === product.id;
          const error = failed?.productId === product.id ? failed.error : undefined;
          return (
            <li key={product.id} className="card">
              <h2>{product.name}</h2>
              <p>{product.description}</p>
              <p>
                <strong>{formatMoney(product.price_cents, product.currency)}</strong> ·{" "}
                {product.on_hand > 0 ? (
                  <span className="status status-ok">{product.on_hand} in stock</span>
                ) : (
                  <span className="status status-warn">Out of stock</span>
                )}
              </p>
              <Form method="post" aria-label={`Buy ${product.name}`}>
                <input type="hidden" name="productId" value={product.id} />
                <label htmlFor={`quantity-${product.id}`}>Quantity</label>
                <input
                  id={`quantity-${product.id}`}
                  name="quantity"
                  type="number"
                  min={1}
                  max={100}
                  defaultValue={1}
                  required
                  aria-invalid={error ? true : undefined}
                />
                <label htmlFor={`card-${product.id}`}>Card</label>
                <select id={`card-${product.id}`} name="paymentMethod" defaultValue="pm_card_visa">
                  <option value="pm_card_visa">Visa ending 4242 (test)</option>
                  <option value="pm_card_chargeDeclined">Card that is declined (test)</option>
                </select>
                {error ? (
                  <p className="field-error" role="alert">
                    {error}
                  </p>
                ) : null}
                <p>
                  <button type="submit" disabled={busy}>
                    {busy ? "Placing order…" : product.on_hand > 0 ? "Buy" : "Order anyway (backorder)"}
                  </button>
                </p>
              </Form>
            </li>
          );
        })}
      </ul>
    </>
  );
}
