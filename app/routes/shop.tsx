import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { requireUser } from "~/auth/require-user.server";
import { formatMoney } from "~/components/money";
import { readCatalogue, type CatalogueProduct } from "~/orders/catalogue.server";
import { redirectWithFlash } from "~/flash.server";
import { PlaceOrderInput, placeOrder } from "~/orders/place-order.server";
import { readSavedCard, startCardSetup, type SavedCard } from "~/orders/saved-card.server";
import { pageMeta } from "~/components/page-meta";
import { readAsUser } from "~/request-scope.server";
import { checkRateLimit, retryAfterHeaders } from "~/rate-limits/check-rate-limit.server";

export const meta: MetaFunction = () =>
  pageMeta("Shop", "Buy from the Stepwise demo catalogue with the card you saved through Stripe Checkout.");

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  // Both queries pipelined in the transaction the layout's loader reads in: the page waits for the database once.
  const [products, card] = await readAsUser(context, user, (tx) => Promise.all([readCatalogue(tx), readSavedCard(tx)]));
  return Response.json({ products, card }, { headers: user.headers });
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const form = Object.fromEntries(await request.formData());
  if (form.intent === "save-card") {
    // Each opens a Stripe Checkout session: a page of them is cheap to ask for and not to make.
    const limited = await checkRateLimit("save-card", request, user.claims.sub);
    if (!limited.allowed) throw new Response(limited.message, { status: 429, headers: retryAfterHeaders(limited) });
    return redirect(await startCardSetup(user.claims), { headers: user.headers });
  }
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
  return redirectWithFlash(`/orders/${result.orderId}`, "Thank you! Your order is placed.", user.headers);
}

export default function Shop() {
  const { products, card } = useLoaderData<{ products: CatalogueProduct[]; card: SavedCard | null }>();
  const failed = useActionData<{ productId: string; error: string }>();
  const navigation = useNavigation();
  const [params] = useSearchParams();
  return (
    <>
      {params.get("welcome") ? <p className="notice">Welcome to Stepwise! Your welcome email is on its way.</p> : null}
      <h1>Shop</h1>
      <CardOnFile card={card} busy={navigation.formData?.get("intent") === "save-card"} />
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
                {error ? (
                  <p className="field-error" role="alert">
                    {error}
                  </p>
                ) : null}
                <p>
                  <button type="submit" disabled={busy || !card}>
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

/** The card orders are charged to, and the way to save one (or another) through Stripe Checkout. */
function CardOnFile({ card, busy }: { card: SavedCard | null; busy: boolean }) {
  return (
    <Form method="post" className="card-on-file">
      <input type="hidden" name="intent" value="save-card" />
      <p>
        {card ? (
          <>
            Orders are charged to your{" "}
            <strong data-testid="saved-card">
              {card.brand} card ending {card.last4}
            </strong>{" "}
            (expires {String(card.expMonth).padStart(2, "0")}/{String(card.expYear).slice(-2)}).{" "}
          </>
        ) : (
          <>Save a card once, on Stripe&apos;s secure page, and your orders are charged to it. </>
        )}
        <button type="submit" className={card ? "secondary" : undefined} disabled={busy}>
          {busy ? "Opening Stripe Checkout…" : card ? "Use another card" : "Save a card"}
        </button>
      </p>
    </Form>
  );
}
