import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requireUser } from "~/auth/require-user.server";
import { readCurrentSubscription } from "~/billing/checkout.server";
import { readAsUser } from "~/request-scope.server";
import { accessFor } from "~/billing/subscription-access";
import { usePollWhile } from "~/components/use-poll-while";
import { pageMeta } from "~/components/page-meta";

export const meta: MetaFunction = () =>
  pageMeta("Thank you", "Stepwise is confirming your Pro subscription with Stripe.");

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  const subscription = await readAsUser(context, user, readCurrentSubscription);
  return Response.json(
    { pro: accessFor(subscription?.status).pro, planName: subscription?.planName ?? null },
    { headers: user.headers },
  );
}

export default function BillingSuccess() {
  const { pro, planName } = useLoaderData<{ pro: boolean; planName: string | null }>();
  // Stripe's webhook may land a moment after the redirect; wait for it on this page.
  usePollWhile(!pro);
  return (
    <section className="card narrow">
      <h1>Thank you!</h1>
      <p aria-live="polite">
        {pro ? `Your ${planName ?? "Stepwise"} subscription is active.` : "Confirming your payment with Stripe…"}
      </p>
      <p>
        <Link to="/billing">Back to billing</Link>
      </p>
    </section>
  );
}
