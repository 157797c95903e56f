import { env } from "./env.server";

/**
 * The Content-Security-Policy of an HTML page. Scripts run only from our origin or with this response's nonce
 * (Remix's inline hydration and streaming scripts carry it); nothing may frame the app. The local stack also
 * allows inline styles and the dev server's websocket, because Vite's dev client injects CSS with <style> tags
 * and reloads over HMR.
 */
export function contentSecurityPolicy(nonce: string): string {
  const { localStack, STRIPE_API_BASE, SUPABASE_URL } = settings();
  // Documents go from the browser straight to Storage (a signed upload URL), and a download is a redirect there.
  const storage = SUPABASE_URL ? ` ${new URL(SUPABASE_URL).origin}` : "";
  // A form that starts Checkout is redirected there; without JavaScript the browser applies form-action to that.
  const checkout = STRIPE_API_BASE ? new URL(STRIPE_API_BASE).origin : "https://checkout.stripe.com";
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}'`,
    `style-src 'self'${localStack ? " 'unsafe-inline'" : ""}`,
    "img-src 'self' data:",
    `connect-src 'self'${storage}${localStack ? " ws: wss:" : ""}`,
    "font-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    `form-action 'self' ${checkout}${storage}`,
    "frame-ancestors 'none'",
  ].join("; ");
}

/** For responses that are not pages (data, JSON, redirects): nothing to run, nothing to frame. */
const NON_DOCUMENT_POLICY = "default-src 'none'; frame-ancestors 'none'";

/** Headers every response carries; HSTS only where the app is served over HTTPS, i.e. not on the local stack. */
function baseHeaders(): Record<string, string> {
  return {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "X-Frame-Options": "DENY",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
    ...(settings().localStack ? {} : { "Strict-Transport-Security": "max-age=63072000; includeSubDomains" }),
  };
}

/** Sets the security headers a response lacks; a page keeps the CSP with its own nonce. */
export function addSecurityHeaders(headers: Headers): void {
  for (const [name, value] of Object.entries({ ...baseHeaders(), "Content-Security-Policy": NON_DOCUMENT_POLICY }))
    if (!headers.has(name)) headers.set(name, value);
}

/** What the headers depend on; with an invalid environment (whose 500 must still go out) the strictest choice. */
function settings(): { localStack: boolean; STRIPE_API_BASE?: string; SUPABASE_URL?: string } {
  try {
    return env();
  } catch {
    return { localStack: false };
  }
}
