import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import {
  Link,
  Links,
  Meta,
  Outlet,
  Scripts,
  ScrollRestoration,
  isRouteErrorResponse,
  useRouteError,
  useRouteLoaderData,
} from "@remix-run/react";
import { getUser } from "~/auth/require-user.server";
import { readCurrentSubscription } from "~/billing/checkout.server";
import { accessFor } from "~/billing/subscription-access";
import { takeFlash } from "~/flash.server";
import { localToolLinks } from "~/local-tools.server";
import { readAsUser } from "~/request-scope.server";
import { FlashMessage, type Flash } from "~/components/flash-message";
import { NavigationProgress } from "~/components/navigation-progress";
import { NotFound } from "~/components/not-found";
import { pageMeta } from "~/components/page-meta";
import { SiteHeader } from "~/components/site-header";
import { useNonce } from "~/nonce";
import styles from "~/styles/app.css?url";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: styles },
  { rel: "icon", href: "/favicon.svg", type: "image/svg+xml" },
  { rel: "manifest", href: "/site.webmanifest" },
];

// Pages set their own; these stand for a page that has none and for the error pages below.
export const meta: MetaFunction = ({ error }) => {
  if (!error) return pageMeta("Stepwise", "Durable workflows for everyday SaaS.");
  if (isRouteErrorResponse(error) && error.status === 404)
    return pageMeta("Page not found", "There is no page at this address on Stepwise.");
  return pageMeta("Something went wrong", "Stepwise could not show this page.");
};

interface RootData {
  email: string | null;
  localTools: Array<{ label: string; href: string }>;
  flash: Flash | null;
  paymentFailed: boolean;
}

export async function loader({ request, context }: LoaderFunctionArgs) {
  const [user, { flash, headers }] = await Promise.all([getUser(request, context), takeFlash(request)]);
  for (const cookie of user?.headers.getSetCookie() ?? []) headers.append("set-cookie", cookie);
  // A failed renewal shows on every page until the card is replaced, as the dunning email asks.
  const paymentFailed = user
    ? accessFor((await readAsUser(context, user, readCurrentSubscription))?.status).needsPaymentUpdate
    : false;
  return Response.json(
    { email: user?.email ?? null, localTools: localToolLinks(), flash, paymentFailed } satisfies RootData,
    { headers },
  );
}

export function Layout({ children }: { children: React.ReactNode }) {
  const data = useRouteLoaderData<typeof loader>("root") as RootData | undefined;
  const nonce = useNonce();
  return (
    <html lang="en">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="color-scheme" content="light dark" />
        <meta name="theme-color" media="(prefers-color-scheme: light)" content="#ffffff" />
        <meta name="theme-color" media="(prefers-color-scheme: dark)" content="#16181d" />
        <Meta />
        <Links />
      </head>
      <body>
        <a className="skip-link" href="#main">
          Skip to content
        </a>
        <NavigationProgress />
        <SiteHeader email={data?.email ?? null} localTools={data?.localTools ?? []} />
        <main id="main" tabIndex={-1} className="page">
          <FlashMessage flash={data?.flash ?? null} />
          {data?.paymentFailed ? (
            <p className="notice notice-warn" role="alert">
              Your last payment failed. <a href="/billing/portal">Update your card</a> to keep your plan.
            </p>
          ) : null}
          {children}
        </main>
        <ScrollRestoration nonce={nonce} />
        <Scripts nonce={nonce} />
      </body>
    </html>
  );
}

export default function App() {
  return <Outlet />;
}

export function ErrorBoundary() {
  const error = useRouteError();
  if (isRouteErrorResponse(error) && error.status === 404)
    return <NotFound detail={typeof error.data === "string" ? error.data : undefined} />;
  const known = isRouteErrorResponse(error);
  return (
    <section className="card narrow">
      <h1>{known ? `${error.status} ${error.statusText}` : "Something went wrong"}</h1>
      <p>
        {known && typeof error.data === "string" && error.data
          ? error.data
          : "We could not show this page. Please try again in a moment."}
      </p>
      <p>
        <Link to="/">Go to the home page</Link>
      </p>
    </section>
  );
}
