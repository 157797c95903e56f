import { Form, Link, NavLink } from "@remix-run/react";

const SECTIONS = [
  { to: "/shop", label: "Shop" },
  { to: "/orders", label: "Orders" },
  { to: "/documents", label: "Documents" },
  { to: "/pricing", label: "Pricing" },
  { to: "/billing", label: "Billing" },
  { to: "/settings", label: "Settings" },
];

export function SiteHeader({
  email,
  localTools,
}: {
  email: string | null;
  localTools: Array<{ label: string; href: string }>;
}) {
  return (
    <header className="site-header">
      <NavLink to="/" className="brand">
        Stepwise
      </NavLink>
      <nav aria-label="Main">
        <ul>
          {SECTIONS.map((section) => (
            <li key={section.to}>
              <NavLink to={section.to}>{section.label}</NavLink>
            </li>
          ))}
        </ul>
      </nav>
      <div className="session">
        {localTools.length > 0 ? (
          <span className="local-tools" aria-label="Local tools">
            {localTools.map((tool) => (
              <a key={tool.href} href={tool.href} target="_blank" rel="noreferrer">
                {tool.label}
              </a>
            ))}
          </span>
        ) : null}
        {email ? (
          <>
            <span className="muted">{email}</span>
            <Form method="post" action="/logout">
              <button type="submit" className="secondary">
                Sign out
              </button>
            </Form>
          </>
        ) : (
          <Link to="/login">Sign in</Link>
        )}
      </div>
    </header>
  );
}
