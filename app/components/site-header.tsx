import { NavLink } from "@remix-run/react";

const SECTIONS = [
  { to: "/shop", label: "Shop" },
  { to: "/orders", label: "Orders" },
  { to: "/documents", label: "Documents" },
  { to: "/billing", label: "Billing" },
  { to: "/settings", label: "Settings" },
];

export function SiteHeader() {
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
    </header>
  );
}
