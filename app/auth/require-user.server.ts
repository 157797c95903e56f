import { redirect } from "@remix-run/node";
import type { UserClaims } from "~/db.server";
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
 * The signed-in user, or null. getClaims checks the access token's signature against the project's published
 * signing key (fetched once per process, then cached) and its expiry, so reading a page costs no call to Auth
 * unless the session must be refreshed. A request that changes something (not GET or HEAD) is also confirmed
 * with Auth, so a session signed out elsewhere cannot place an order, pay or delete, even while its access
 * token has yet to expire.
 */
export async function getUser(request: Request): Promise<SignedInUser | null> {
  const { supabase, headers } = supabaseForRequest(request);
  const { data } = await supabase.auth.getClaims();
  if (!data || data.claims.role !== "authenticated") return null;
  // The session getClaims has just verified (and refreshed, if it had expired): read from the cookies, no request.
  const { data: session } = await supabase.auth.getSession();
  if (!session.session) return null;
  const accessToken = session.session.access_token;
  if (!READS.has(request.method) && (await supabase.auth.getUser(accessToken)).error) return null;
  // Every claim, as PostgREST passes them, so row level security sees what it would on Supabase.
  const claims = data.claims as UserClaims;
  return { claims, email: claims.email ?? "", accessToken, headers };
}

const READS = new Set(["GET", "HEAD"]);

/** The signed-in user, or a redirect to sign in that comes back here afterwards. */
export async function requireUser(request: Request): Promise<SignedInUser> {
  const user = await getUser(request);
  if (user) return user;
  const url = new URL(request.url);
  throw redirect(`/login?redirectTo=${encodeURIComponent(url.pathname + url.search)}`);
}
