import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, useLoaderData, useNavigation } from "@remix-run/react";
import { requireUser } from "~/auth/require-user.server";
import { cancelActiveSubscription, currentSubscription, startCheckout } from "~/billing/checkout.server";
import { PRO_PLAN } from "~/billing/plans";
import { formatMoney } from "~/components/money";
import { usePollWhile } from "~/components/use-poll-while";
import { checkRateLimit, retryAfterHeaders } from "~/rate-limits/check-rate-limit.server";

export const meta: MetaFunction = () => [{ title: "Billing · Stepwise" }];

type Subscription = Awaited<ReturnType<typeof currentSubscription>>;

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const pendingCancel = new URL(request.url).searchParams.has("canceling");
  return Response.json(
    { subscription: await currentSubscription(user.claims), pendingCancel },
    { headers: user.headers },
  );
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const intent = (await request.formData()).get("intent");
  if (intent === "subscribe") {
    // Each subscribe opens a Stripe Checkout session: a page of them is cheap to ask for and not to make.
    const limited = await checkRateLimit("subscribe", request, user.claims.sub);
    if (!limited.allowed) throw new Response(limited.message, { status: 429, headers: retryAfterHeaders(limited) });
    return redirect(await startCheckout(user.claims), { headers: user.headers });
  }
  if (intent === "cancel") {
    // Only ever the caller's own subscription: the form names none, and row level security shows no one else's.
    if (!(await cancelActiveSubscription(user.claims)))
      throw new Response("You have no active subscription to cancel.", { status: 404 });
    return redirect("/billing?canceling=1", { headers: user.headers });
  }
  return Response.json({ error: "Unknown action" }, { status: 400 });
}

export default function Billing() {
  const { subscription, pendingCancel } = useLoaderData<{ subscription: Subscription; pendingCancel: boolean }>();
  const busy = useNavigation().state !== "idle";
  const active = subscription && subscription.status !== "canceled";
  usePollWhile(pendingCancel && Boolean(active));
  return (
    <section className="card narrow">
      <h1>Billing</h1>
      {subscription ? (
        <p>
          Plan: <strong>{PRO_PLAN.name}</strong> · status{" "}
          <span className={`status ${active ? "status-ok" : "status-bad"}`} data-testid="subscription-status">
            {subscription.status}
          </span>
          {subscription.current_period_end && active ? (
            <> · renews {new Date(subscription.current_period_end).toLocaleDateString("en-GB", { timeZone: "UTC" })}</>
          ) : null}
        </p>
      ) : (
        <p>You are on the free plan.</p>
      )}
      {active ? (
        <Form method="post">
          <input type="hidden" name="intent" value="cancel" />
          <button type="submit" className="danger" disabled={busy}>
            {busy ? "Cancelling…" : "Cancel subscription"}
          </button>
        </Form>
      ) : (
        <Form method="post">
          <input type="hidden" name="intent" value="subscribe" />
          <p>
            {PRO_PLAN.name}: {formatMoney(PRO_PLAN.unitAmount, PRO_PLAN.currency)} a month.
          </p>
          <button type="submit" disabled={busy}>
            {busy ? "Opening Stripe Checkout…" : "Subscribe with Stripe"}
          </button>
        </Form>
      )}
      {pendingCancel && active ? (
        <p className="muted">Cancelling with Stripe… this page updates when Stripe confirms.</p>
      ) : null}
    </section>
  );
}
