import type { MetaFunction } from "@remix-run/node";
import { NotFound } from "~/components/not-found";
import { pageMeta } from "~/components/page-meta";

// Any address no other route matches: a 404 inside the app's layout, with the user still signed in.
export const meta: MetaFunction = () => pageMeta("Page not found", "There is no page at this address on Stepwise.");

export function loader() {
  return Response.json(null, { status: 404 });
}

export default function NoSuchPage() {
  return <NotFound />;
}
