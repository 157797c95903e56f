/** What every hosted page of the emulator shares: escaping, the page frame with its favicon, HTML responses. */
export const escape = (value: unknown) =>
  String(value ?? "").replace(
    /[&<>"']/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!,
  );

export function html(body: string, status = 200) {
  return new Response(body, { status, headers: { "content-type": "text/html; charset=utf-8" } });
}

export const money = (cents: number, currency: string) => `${(cents / 100).toFixed(2)} ${currency.toUpperCase()}`;

export function hostedPage(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escape(title)} · Stripe (local)</title><link rel="icon" href="/favicon.svg" type="image/svg+xml"><style>
body{margin:0;font:15px/1.5 system-ui,sans-serif;background:#f6f9fc;color:#1a1f36}main{max-width:30rem;margin:2rem auto;background:#fff;border-radius:8px;padding:1.5rem;box-shadow:0 2px 8px #0001}
label{display:block;margin:.75rem 0 .25rem;font-weight:600}input{width:100%;padding:.5rem;font:inherit;border:1px solid #ccd;border-radius:4px;box-sizing:border-box}
.row{display:flex;gap:.75rem}.row>div{flex:1}button{margin-top:1rem;width:100%;padding:.6rem;font:inherit;background:#635bff;color:#fff;border:0;border-radius:4px;cursor:pointer}
button.secondary{background:#fff;color:#635bff;border:1px solid #635bff}.error{color:#c0123c}small{color:#697386}section{border-top:1px solid #e3e8ee;margin-top:1rem;padding-top:.5rem}
</style></head><body><main><p><small>Test mode · local Stripe</small></p>${body}</main></body></html>`;
}

/** The card fields of Stripe's hosted pages: number (empty), expiry and CVC, with the test cards listed. */
export function cardFields(): string {
  return `<label for="card">Card number</label><input id="card" name="card" inputmode="numeric" autocomplete="cc-number" placeholder="1234 1234 1234 1234">
<div class="row"><div><label for="exp">Expiration (MM / YY)</label><input id="exp" name="exp" autocomplete="cc-exp" placeholder="MM / YY"></div>
<div><label for="cvc">CVC</label><input id="cvc" name="cvc" inputmode="numeric" autocomplete="cc-csc" placeholder="CVC"></div></div>
<small>Test cards: 4242 4242 4242 4242 pays; 4000 0000 0000 0002 is declined; 4000 0000 0000 9995 has insufficient funds; 4000 0025 0000 3155 asks for authentication unless saved for later; 4000 0027 6000 3184 asks for it on every payment; 4000 0000 0000 0341 saves but fails when charged. Any future expiry, any CVC.</small>`;
}
