import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { requireUser } from "~/auth/require-user.server";
import { listPlans, type Plan } from "~/billing/catalogue.server";
import { CheckoutError, startCheckout } from "~/billing/checkout.server";
import { formatMoney } from "~/components/money";
import { pageMeta } from "~/components/page-meta";
import { checkRateLimit, retryAfterHeaders } from "~/rate-limits/check-rate-limit.server";
import { FormError } from "~/components/form-error";

export const meta: MetaFunction = () =>
  pageMeta("Pricing", "Stepwise's plans, monthly or yearly, as Stripe sells them; subscribe through Stripe Checkout.");

export async function loader({ request }: LoaderFunctionArgs) {
  const interval = new URL(request.url).searchParams.get("interval") === "year" ? "year" : "month";
  return Response.json({ plans: await listPlans(), interval });
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const priceId = String((await request.formData()).get("priceId") ?? "");
  const limited = await checkRateLimit("subscribe", request, user.claims.sub);
  if (!limited.allowed) throw new Response(limited.message, { status: 429, headers: retryAfterHeaders(limited) });
  try {
    return redirect(await startCheckout(user.claims, priceId), { headers: user.headers });
  } catch (error) {
    if (error instanceof CheckoutError) return Response.json({ error: error.message }, { status: 400 });
    throw error;
  }
}

export default function Pricing() {
  const { plans, interval } = useLoaderData<{ plans: Plan[]; interval: "month" | "year" }>();
  const failed = useActionData<{ error: string }>();
  const navigation = useNavigation();
  return (
    <>
      <h1>Pricing</h1>
      <p className="interval-switch">
        <Link to="?interval=month" aria-current={interval === "month"}>
          Monthly
        </Link>{" "}
        ·{" "}
        <Link to="?interval=year" aria-current={interval === "year"}>
          Yearly
        </Link>
      </p>
      <FormError message={failed?.error} />
      {plans.length === 0 ? <p>No plans are on sale yet.</p> : null}
      <ul className="grid">
        {plans.map((plan) => {
          const price = plan.prices.find((p) => p.interval === interval);
          if (!price) return null;
          const busy = navigation.state !== "idle" && navigation.formData?.get("priceId") === price.id;
          return (
            <li key={plan.productId} className="card">
              <h2>{plan.name}</h2>
              {plan.description ? <p>{plan.description}</p> : null}
              <p>
                <strong>{formatMoney(price.unitAmount, price.currency)}</strong> a {interval}
              </p>
              <Form method="post" aria-label={`Subscribe to ${plan.name}`}>
                <input type="hidden" name="priceId" value={price.id} />
                <button type="submit" disabled={busy}>
                  {busy ? "Opening Stripe Checkout…" : `Subscribe to ${plan.name}`}
                </button>
              </Form>
            </li>
          );
        })}
      </ul>
    </>
  );
}
