import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requireUser } from "~/auth/require-user.server";
import { readCurrentSubscription, type CurrentSubscription } from "~/billing/checkout.server";
import { readAsUser } from "~/request-scope.server";
import { accessFor } from "~/billing/subscription-access";
import { formatMoney } from "~/components/money";
import { pageMeta } from "~/components/page-meta";

export const meta: MetaFunction = () =>
  pageMeta("Billing", "Your Stepwise plan, its renewal date, and the Stripe Customer Portal to change it.");

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  const subscription = await readAsUser(context, user, readCurrentSubscription);
  return Response.json({ subscription }, { headers: user.headers });
}

const day = (iso: string) => new Date(iso).toLocaleDateString("en-GB", { timeZone: "UTC" });

export default function Billing() {
  const { subscription } = useLoaderData<{ subscription: CurrentSubscription | null }>();
  const access = accessFor(subscription?.status);
  return (
    <section className="card narrow">
      <h1>Billing</h1>
      {subscription && access.live ? (
        <>
          <p>
            Plan: <strong data-testid="subscription-plan">{subscription.planName ?? "Stepwise"}</strong>
            {subscription.unitAmount !== null && subscription.currency ? (
              <>
                {" "}
                ({formatMoney(subscription.unitAmount, subscription.currency)} a {subscription.interval})
              </>
            ) : null}{" "}
            · status{" "}
            <span
              className={`status ${access.needsPaymentUpdate ? "status-warn" : "status-ok"}`}
              data-testid="subscription-status"
            >
              {subscription.status}
            </span>
          </p>
          {subscription.currentPeriodEnd ? (
            <p data-testid="subscription-renewal">
              {subscription.cancelAtPeriodEnd
                ? `Cancels on ${day(subscription.cancelAt ?? subscription.currentPeriodEnd)}`
                : `Renews on ${day(subscription.currentPeriodEnd)}`}
            </p>
          ) : null}
          <p>
            <a className="button" href="/billing/portal">
              Manage billing
            </a>
          </p>
        </>
      ) : (
        <>
          <p>
            You are on the free plan
            {subscription ? (
              <>
                {" "}
                (your last subscription is{" "}
                <span className="status status-bad" data-testid="subscription-status">
                  {subscription.status}
                </span>
                )
              </>
            ) : null}
            .
          </p>
          <p>
            <Link to="/pricing">See the plans</Link>
          </p>
        </>
      )}
    </section>
  );
}
