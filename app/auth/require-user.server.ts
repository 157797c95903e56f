import { redirect } from "@remix-run/node";
import type { SupabaseClient } from "@supabase/supabase-js";
import type { UserClaims } from "~/db.server";
import { sharedUser } from "~/request-scope.server";
import { supabaseForRequest } from "./supabase-session.server";

export interface SignedInUser {
  claims: UserClaims;
  email: string;
  /** The user's access token, for calls that Supabase must authorize as them (Storage). */
  accessToken: string;
  /** Cookies to pass on (a refreshed session). */
  headers: Headers;
}

/**
 * The signed-in user, or null. The access token's signature is checked against the project's published signing
 * key (fetched once per process, then cached) and its expiry, so reading a page costs no call to Auth unless the
 * session must be refreshed. A request that changes something (not GET or HEAD) is also confirmed with Auth, so a
 * session signed out elsewhere cannot place an order, pay or delete, even while its access token has yet to expire.
 */
export function getUser(request: Request, context?: object): Promise<SignedInUser | null> {
  // Within one request the loaders share one answer (see request-scope.server.ts).
  return context ? sharedUser(context, () => findUser(request)) : findUser(request);
}

async function findUser(request: Request): Promise<SignedInUser | null> {
  const { supabase, headers } = supabaseForRequest(request);
  // Read from the cookies (refreshed with Auth if the access token has expired); trusted only once verified below.
  const { data: session } = await supabase.auth.getSession();
  const accessToken = session.session?.access_token;
  if (!accessToken) return null;
  const claims = await verifiedClaims(supabase, accessToken);
  if (claims?.role !== "authenticated") return null;
  if (!READS.has(request.method) && (await supabase.auth.getUser(accessToken)).error) return null;
  return { claims, email: claims.email ?? "", accessToken, headers };
}

/**
 * Tokens whose signature has been checked, with their claims, until they expire. A signature verifies the same
 * way every time, so a page's loaders and the user's next pages skip the ECDSA check (the costliest part of a
 * signed-in page after the database). What a token may do is unchanged: it is still refused once it expires.
 */
const verifiedTokens = new Map<string, UserClaims>();
const MAX_VERIFIED_TOKENS = 10_000;

async function verifiedClaims(supabase: SupabaseClient, accessToken: string): Promise<UserClaims | null> {
  const known = verifiedTokens.get(accessToken);
  if (known && Number(known.exp) * 1000 > Date.now()) return known;
  verifiedTokens.delete(accessToken);
  const { data } = await supabase.auth.getClaims(accessToken);
  if (!data) return null;
  // Every claim, as PostgREST passes them, so row level security sees what it would on Supabase.
  const claims = data.claims as UserClaims;
  if (verifiedTokens.size >= MAX_VERIFIED_TOKENS) verifiedTokens.delete(verifiedTokens.keys().next().value!);
  verifiedTokens.set(accessToken, claims);
  return claims;
}

const READS = new Set(["GET", "HEAD"]);

/** The signed-in user, or a redirect to sign in that comes back here afterwards. */
export async function requireUser(request: Request, context?: object): Promise<SignedInUser> {
  const user = await getUser(request, context);
  if (user) return user;
  const url = new URL(request.url);
  throw redirect(`/login?redirectTo=${encodeURIComponent(url.pathname + url.search)}`);
}
