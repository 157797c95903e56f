import type { MetaFunction } from "@remix-run/node";
import { Link } from "@remix-run/react";

export const meta: MetaFunction = () => [
  { title: "Stepwise — durable workflows for everyday SaaS" },
  { name: "description", content: "Orders, billing, email and document search, each run as a durable workflow." },
];

const WORKFLOWS = [
  { name: "Welcome series", text: "A welcome email when you sign up, and tips a day later — unless you opt out." },
  {
    name: "Order processing",
    text: "Stock and payment checked in parallel, charged once, shipped, with a live timeline.",
  },
  { name: "Daily digest", text: "At 09:00 UTC every opted-in user gets one digest, however often the schedule fires." },
  { name: "Stripe billing", text: "Subscriptions through Stripe Checkout; every webhook applied exactly once." },
  { name: "Document search", text: "Upload PDFs; they are split, embedded and searchable by meaning in seconds." },
];

export default function Home() {
  return (
    <>
      <section className="hero">
        <h1>Stepwise</h1>
        <p className="lead">
          A SaaS whose back end is durable workflows. Every step is retried, checkpointed and visible, so nothing is
          lost and nothing happens twice.
        </p>
        <p>
          <Link className="button" to="/signup">
            Create an account
          </Link>{" "}
          <Link to="/login">Sign in</Link>
        </p>
      </section>
      <section aria-labelledby="workflows-heading">
        <h2 id="workflows-heading">What runs behind the pages</h2>
        <ul className="grid">
          {WORKFLOWS.map((workflow) => (
            <li key={workflow.name} className="card">
              <h3>{workflow.name}</h3>
              <p>{workflow.text}</p>
            </li>
          ))}
        </ul>
      </section>
    </>
  );
}
