import { createHash } from "node:crypto";
import { asService } from "~/db.server";
import { RATE_LIMITS, retryAfterInWords, type RateLimitedAction, type RateLimitRule } from "./rate-limits";

export type RateLimitOutcome = { allowed: true } | { allowed: false; retryAfterSeconds: number; message: string };

/**
 * The client's address as Netlify's edge reports it (it sets this header and overwrites any the client sent).
 * A request that did not come through the edge (the local stack) has none, and no per-address limit applies.
 */
export function clientAddress(request: Request): string | null {
  return request.headers.get("x-nf-client-connection-ip")?.trim() || null;
}

/**
 * Counts this request against `action`'s limits for `account` (a user id, or a normalised email address before
 * there is a user) and for the request's address, and says whether it may go ahead. Keys are hashed so the table
 * holds no addresses.
 */
export async function checkRateLimit(
  action: RateLimitedAction,
  request: Request,
  account: string,
): Promise<RateLimitOutcome> {
  const rules: Record<string, RateLimitRule | undefined> = RATE_LIMITS[action];
  const address = clientAddress(request);
  const checks: Array<{ key: string; rule: RateLimitRule }> = [
    { key: keyFor(action, "account", account), rule: rules.account! },
  ];
  if (address && rules.address) checks.push({ key: keyFor(action, "address", address), rule: rules.address });
  let wait = 0;
  for (const { key, rule } of checks) {
    const [row] = await asService(
      (tx) => tx<{ allowed: boolean; retry_after_seconds: number }[]>`
        select * from hit_rate_limit(${key}, ${rule.limit}, ${rule.windowSeconds})`,
    );
    if (!row!.allowed) wait = Math.max(wait, row!.retry_after_seconds);
  }
  if (wait === 0) return { allowed: true };
  return {
    allowed: false,
    retryAfterSeconds: wait,
    message: `Too many attempts. Try again in ${retryAfterInWords(wait)}.`,
  };
}

function keyFor(action: RateLimitedAction, scope: "account" | "address", value: string): string {
  return `${action}:${scope}:${createHash("sha256").update(value.trim().toLowerCase()).digest("base64url")}`;
}

/** The headers of a refused request: the status code is 429 and `Retry-After` says when (RFC 9110 §10.2.3). */
export function retryAfterHeaders(outcome: { retryAfterSeconds: number }, headers?: HeadersInit): Headers {
  const merged = new Headers(headers);
  merged.set("Retry-After", String(outcome.retryAfterSeconds));
  return merged;
}
