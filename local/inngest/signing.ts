import canonicalize from "canonicalize";
import { createHmac } from "node:crypto";

// Inngest Cloud's request signature (docs/inngest-protocol.md, section 7): HMAC-SHA256 over the canonical JSON
// body (RFC 8785, by the same `canonicalize` package the SDK signs with) followed by the unix timestamp, keyed by
// the signing key without its `signkey-<env>-` prefix, sent as `t=<ts>&s=<hex>`.

export function signRequestBody(body: unknown, signingKey: string, unixSeconds: number): string {
  const key = signingKey.replace(/^signkey-\w+-/, "");
  const mac = createHmac("sha256", key)
    .update((canonicalize(body) ?? "") + unixSeconds)
    .digest("hex");
  return `t=${unixSeconds}&s=${mac}`;
}
