import { Link } from "@remix-run/react";

/** The page for an address that leads nowhere, or to something the user may not see. */
export function NotFound({ detail }: { detail?: string }) {
  return (
    <section className="card narrow">
      <h1>Page not found</h1>
      <p>{detail || "There is nothing at this address. The link may be mistyped, or the page may have moved."}</p>
      <p>
        <Link to="/">Go to the home page</Link>
      </p>
    </section>
  );
}
