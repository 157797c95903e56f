import { createHmac, timingSafeEqual } from "node:crypto";

// HS256 JWTs, as Supabase projects that use the legacy JWT secret issue them.

const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");

export function signJwt(claims: Record<string, unknown>, secret: string): string {
  const head = `${encode({ alg: "HS256", typ: "JWT" })}.${encode(claims)}`;
  return `${head}.${createHmac("sha256", secret).update(head).digest("base64url")}`;
}

export type JwtCheck = { ok: true; claims: Record<string, unknown> } | { ok: false; reason: string };

export function verifyJwt(token: string, secret: string, nowSeconds = Math.floor(Date.now() / 1000)): JwtCheck {
  const parts = token.split(".");
  if (parts.length !== 3)
    return { ok: false, reason: "invalid JWT: unable to parse or verify signature, token is malformed" };
  const expected = createHmac("sha256", secret).update(`${parts[0]}.${parts[1]}`).digest();
  const given = Buffer.from(parts[2]!, "base64url");
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    return { ok: false, reason: "invalid JWT: unable to parse or verify signature, signature is invalid" };
  }
  const claims = JSON.parse(Buffer.from(parts[1]!, "base64url").toString("utf8")) as Record<string, unknown>;
  if (typeof claims.exp === "number" && claims.exp <= nowSeconds) {
    return {
      ok: false,
      reason: "invalid JWT: unable to parse or verify signature, token has invalid claims: token is expired",
    };
  }
  return { ok: true, claims };
}

/** Checks the JWT a request carries as `Authorization: Bearer <jwt>`, as GoTrue and Storage both do. */
export function verifyBearerJwt(request: Request, secret: string): JwtCheck {
  return verifyJwt(request.headers.get("authorization")?.replace(/^Bearer /i, "") ?? "", secret);
}
