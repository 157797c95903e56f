import { createHmac } from "node:crypto";

// Inngest Cloud's request signature: HMAC-SHA256 over the canonical JSON body (RFC 8785) followed by the unix
// timestamp, keyed by the signing key without its `signkey-<env>-` prefix, sent as `t=<ts>&s=<hex>`.

export function signRequestBody(body: unknown, signingKey: string, unixSeconds: number): string {
  const key = signingKey.replace(/^signkey-\w+-/, "");
  const mac = createHmac("sha256", key)
    .update(canonicalJson(body) + unixSeconds)
    .digest("hex");
  return `t=${unixSeconds}&s=${mac}`;
}

/** RFC 8785 (JCS) for JSON values: sorted keys, no whitespace, ECMAScript number and string forms. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value) ?? "null";
  if (Array.isArray(value))
    return `[${value.map((item) => canonicalJson(item === undefined ? null : item)).join(",")}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => compareUtf16(a, b));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
}

function compareUtf16(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
