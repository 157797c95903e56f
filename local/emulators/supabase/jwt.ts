import {
  createHmac,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  randomUUID,
  sign,
  timingSafeEqual,
  verify,
} from "node:crypto";

// Supabase Auth's two kinds of JWT key. User access tokens are signed with the project's asymmetric signing key
// (ES256 here, as `supabase gen signing-key` makes by default), named by `kid` and published at
// /auth/v1/.well-known/jwks.json, so apps verify them without asking Auth. The legacy JWT secret (HS256) still
// verifies what it signed before: the anon and service_role API keys.

/** A private signing key as a JWK, in the shape `supabase gen signing-key` writes and GoTrue's GOTRUE_JWT_KEYS takes. */
export interface SigningKey {
  kty: "EC" | "RSA";
  kid: string;
  alg: "ES256" | "RS256";
  use: "sig";
  key_ops: string[];
  [member: string]: unknown;
}

export interface JwtKeys {
  /** The legacy JWT secret. */
  secret: string;
  /** The key that signs new access tokens. */
  signingKey: SigningKey;
}

const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");

export function generateSigningKey(): SigningKey {
  const { privateKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
  return {
    ...(privateKey.export({ format: "jwk" }) as Record<string, unknown>),
    kty: "EC",
    kid: randomUUID(),
    alg: "ES256",
    use: "sig",
    key_ops: ["sign", "verify"],
  };
}

/** The public half, as GoTrue publishes it: private members dropped, `use: sig`, `key_ops: [verify]`. */
export function publicJwk(key: SigningKey): Record<string, unknown> {
  const { d: _d, p: _p, q: _q, dp: _dp, dq: _dq, qi: _qi, ...rest } = key;
  return { ...rest, use: "sig", key_ops: ["verify"] };
}

/** HS256 with the legacy JWT secret, as the anon and service_role keys are signed. */
export function signJwt(claims: Record<string, unknown>, secret: string): string {
  const head = `${encode({ alg: "HS256", typ: "JWT" })}.${encode(claims)}`;
  return `${head}.${createHmac("sha256", secret).update(head).digest("base64url")}`;
}

/** Signs with the asymmetric signing key and names it in the header's `kid`, as Supabase Auth does. */
export function signWithSigningKey(claims: Record<string, unknown>, key: SigningKey): string {
  const head = `${encode({ alg: key.alg, kid: key.kid, typ: "JWT" })}.${encode(claims)}`;
  const privateKey = createPrivateKey({ key: key as never, format: "jwk" });
  const signature = sign("sha256", Buffer.from(head), { key: privateKey, dsaEncoding: "ieee-p1363" });
  return `${head}.${signature.toString("base64url")}`;
}

export type JwtCheck = { ok: true; claims: Record<string, unknown> } | { ok: false; reason: string };

const MALFORMED = "invalid JWT: unable to parse or verify signature, token is malformed";
const BAD_SIGNATURE = "invalid JWT: unable to parse or verify signature, signature is invalid";

/** Verifies an HS256 token with the secret, or an ES256/RS256 one with the signing key its `kid` names. */
export function verifyJwt(token: string, keys: JwtKeys, nowSeconds = Math.floor(Date.now() / 1000)): JwtCheck {
  const parts = token.split(".");
  if (parts.length !== 3) return { ok: false, reason: MALFORMED };
  let header: { alg?: unknown; kid?: unknown };
  let claims: Record<string, unknown>;
  try {
    header = JSON.parse(Buffer.from(parts[0]!, "base64url").toString("utf8"));
    claims = JSON.parse(Buffer.from(parts[1]!, "base64url").toString("utf8"));
  } catch {
    return { ok: false, reason: MALFORMED };
  }
  const signed = Buffer.from(`${parts[0]}.${parts[1]}`);
  const given = Buffer.from(parts[2]!, "base64url");
  if (!signatureHolds(header, signed, given, keys)) return { ok: false, reason: BAD_SIGNATURE };
  if (typeof claims.exp === "number" && claims.exp <= nowSeconds) {
    return {
      ok: false,
      reason: "invalid JWT: unable to parse or verify signature, token has invalid claims: token is expired",
    };
  }
  return { ok: true, claims };
}

function signatureHolds(header: { alg?: unknown; kid?: unknown }, signed: Buffer, given: Buffer, keys: JwtKeys) {
  if (header.alg === "HS256") {
    const expected = createHmac("sha256", keys.secret).update(signed).digest();
    return given.length === expected.length && timingSafeEqual(given, expected);
  }
  const key = keys.signingKey;
  if (header.alg !== key.alg || header.kid !== key.kid) return false;
  const publicKey = createPublicKey({ key: publicJwk(key) as never, format: "jwk" });
  return verify("sha256", signed, { key: publicKey, dsaEncoding: "ieee-p1363" }, given);
}

/** Checks the JWT a request carries as `Authorization: Bearer <jwt>`, as GoTrue and Storage both do. */
export function verifyBearerJwt(request: Request, keys: JwtKeys, nowSeconds?: number): JwtCheck {
  return verifyJwt(request.headers.get("authorization")?.replace(/^Bearer /i, "") ?? "", keys, nowSeconds);
}
