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

/** The signed-in user, verified with Supabase Auth, or null. */
export async function getUser(request: Request): Promise<SignedInUser | null> {
  const { supabase, headers } = supabaseForRequest(request);
  // getUser asks Auth to verify the token; the cookie's session alone could be forged.
  const { data } = await supabase.auth.getUser();
  if (!data.user) return null;
  const { data: session } = await supabase.auth.getSession();
  if (!session.session) return null;
  return {
    claims: { sub: data.user.id, role: "authenticated", email: data.user.email },
    email: data.user.email ?? "",
    accessToken: session.session.access_token,
    headers,
  };
}

/** The signed-in user, or a redirect to sign in that comes back here afterwards. */
export async function requireUser(request: Request): Promise<SignedInUser> {
  const user = await getUser(request);
  if (user) return user;
  const url = new URL(request.url);
  throw redirect(`/login?redirectTo=${encodeURIComponent(url.pathname + url.search)}`);
}
