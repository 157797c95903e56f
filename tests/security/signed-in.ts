import { randomUUID } from "node:crypto";
import type { Sql, TransactionSql } from "postgres";
import { LOCAL_DEFAULTS } from "../../contracts/local-defaults";

export const PASSWORD = "a good long password";

type RouteArgs = { request: Request; params: Record<string, string>; context: object };
type RouteFunction = (args: never) => unknown;

export interface SignedInUser {
  id: string;
  email: string;
  /** The Cookie header a browser would send after signing in through /login. */
  cookie: string;
}

/** The `name=value` pairs of a response's Set-Cookie headers, as a Cookie request header. */
export function cookieHeaderFrom(response: Response): string {
  return response.headers
    .getSetCookie()
    .map((line) => line.split(";")[0]!)
    .filter((pair) => !pair.endsWith("="))
    .join("; ");
}

/**
 * Creates an account in Supabase Auth (the emulator's /auth/v1/signup, as the signup page does through the SDK)
 * and signs in through the login route's own action, so the session cookie is the one the app issues.
 */
export async function signUpAndSignIn(appUrl: string, supabaseUrl: string): Promise<SignedInUser> {
  const email = `security-${randomUUID().slice(0, 8)}@example.com`;
  const created = await fetch(`${supabaseUrl}/auth/v1/signup`, {
    method: "POST",
    headers: { apikey: LOCAL_DEFAULTS.SUPABASE_ANON_KEY, "content-type": "application/json" },
    body: JSON.stringify({ email, password: PASSWORD, data: { full_name: "Security Test" } }),
  });
  if (!created.ok) throw new Error(`Sign-up failed: ${created.status} ${await created.text()}`);
  const { user } = (await created.json()) as { user: { id: string } };
  const response = await signIn(appUrl, email, PASSWORD);
  if (response.status !== 302) throw new Error(`Sign-in failed: ${response.status} ${await response.text()}`);
  return { id: user.id, email, cookie: cookieHeaderFrom(response) };
}

/** Posts the sign-in form to the login route's action and returns its response (a redirect with the session). */
export async function signIn(appUrl: string, email: string, password: string): Promise<Response> {
  const login = await import("../../app/routes/login");
  return call(login.action, formRequest(`${appUrl}/login`, { email, password, redirectTo: "/shop" }));
}

export function getRequest(url: string, cookie?: string): Request {
  return new Request(url, { headers: cookie ? { cookie } : {} });
}

export function formRequest(url: string, fields: Record<string, string>, cookie?: string): Request {
  return new Request(url, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", ...(cookie ? { cookie } : {}) },
    body: new URLSearchParams(fields),
  });
}

/**
 * Runs a route's loader or action as Remix would, and returns what the browser would get: the returned Response,
 * or the thrown one (404s, redirects). Anything else thrown is what Remix answers with a 500, so it becomes one here.
 */
export async function call(
  handler: RouteFunction | undefined,
  request: Request,
  params: Record<string, string> = {},
): Promise<Response> {
  if (!handler) throw new Error("The route has no handler for this request");
  try {
    const result = await (handler as unknown as (args: RouteArgs) => Promise<unknown>)({
      request,
      params,
      context: {},
    });
    if (result instanceof Response) return result;
    return Response.json(result ?? null);
  } catch (error) {
    if (error instanceof Response) return error;
    return new Response(
      `500 from a thrown ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`,
      { status: 500 },
    );
  }
}

/** A user's access token from Supabase Auth's password grant, as any client holding the public anon key gets it. */
export async function accessTokenFor(supabaseUrl: string, email: string, password = PASSWORD): Promise<string> {
  const response = await fetch(`${supabaseUrl}/auth/v1/token?grant_type=password`, {
    method: "POST",
    headers: { apikey: LOCAL_DEFAULTS.SUPABASE_ANON_KEY, "content-type": "application/json" },
    body: JSON.stringify({ email, password }),
  });
  if (!response.ok) throw new Error(`Password grant failed: ${response.status} ${await response.text()}`);
  return ((await response.json()) as { access_token: string }).access_token;
}

/**
 * Runs `work` as PostgREST runs a request that carries `accessToken`: the role named by the token's `role` claim
 * and its claims as `request.jwt.claims`, so only grants and row level security stand between the caller and
 * the tables. (The token's signature is Supabase Auth's; the gateway checks it before PostgREST sees it.)
 */
export async function asPostgrestRequest<T>(
  sql: Sql,
  accessToken: string,
  work: (tx: TransactionSql) => Promise<T>,
): Promise<T> {
  const claims = JSON.parse(Buffer.from(accessToken.split(".")[1]!, "base64url").toString()) as { role: string };
  const { transactionAs } = await import("../../app/db.server");
  return transactionAs(sql, claims.role, claims, work);
}
