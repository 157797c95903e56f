import type { StripeObject } from "./stripe-store";

const escape = (value: unknown) =>
  String(value ?? "").replace(
    /[&<>"']/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!,
  );

/** The hosted Checkout page: what is being bought, a test card form, pay or go back. */
export function renderCheckoutPage(
  session: StripeObject,
  lineItems: Array<{ name: string; amount: number; interval?: string }>,
  error?: string,
): string {
  const currency = String(session.currency ?? "usd").toUpperCase();
  const money = (cents: number) => `${(cents / 100).toFixed(2)} ${currency}`;
  const items = lineItems
    .map(
      (item) =>
        `<li>${escape(item.name)} — ${money(item.amount)}${item.interval ? ` / ${escape(item.interval)}` : ""}</li>`,
    )
    .join("");
  const closed = session.status !== "open";
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Checkout · Stripe (local)</title><style>
body{margin:0;font:15px/1.5 system-ui,sans-serif;background:#f6f9fc;color:#1a1f36}main{max-width:28rem;margin:2rem auto;background:#fff;border-radius:8px;padding:1.5rem;box-shadow:0 2px 8px #0001}
label{display:block;margin:.75rem 0 .25rem;font-weight:600}input{width:100%;padding:.5rem;font:inherit;border:1px solid #ccd;border-radius:4px;box-sizing:border-box}
button{margin-top:1rem;width:100%;padding:.6rem;font:inherit;background:#635bff;color:#fff;border:0;border-radius:4px;cursor:pointer}.error{color:#c0123c}small{color:#697386}
</style></head><body><main><p><small>Test mode · local Stripe</small></p><h1>Pay ${money(Number(session.amount_total ?? 0))}</h1><ul>${items}</ul>
${error ? `<p class="error" role="alert">${escape(error)}</p>` : ""}
${
  closed
    ? `<p>This Checkout Session is ${escape(session.status)}.</p>`
    : `<form method="post" action="/checkout/${escape(session.id)}/pay">
<label for="email">Email</label><input id="email" name="email" type="email" value="${escape(session.customer_email ?? "")}">
<label for="card">Card number</label><input id="card" name="card" inputmode="numeric" value="4242 4242 4242 4242" autocomplete="cc-number">
<small>4242 4242 4242 4242 pays; 4000 0000 0000 0002 is declined.</small>
<button type="submit">Pay</button></form>
<form method="post" action="/checkout/${escape(session.id)}/cancel"><button type="submit" style="background:#fff;color:#635bff;border:1px solid #635bff">Cancel and go back</button></form>`
}
</main></body></html>`;
}
