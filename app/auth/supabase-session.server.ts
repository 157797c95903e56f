import { createServerClient, parseCookieHeader, serializeCookieHeader } from "@supabase/ssr";
import type { SupabaseClient } from "@supabase/supabase-js";
import WebSocket from "ws";
import { env } from "~/env.server";

export interface RequestSupabase {
  supabase: SupabaseClient;
  /** Set-Cookie headers the client wrote (sign in, token refresh, sign out); return them with the response. */
  headers: Headers;
}

/**
 * One Supabase client per request, keeping the session in HttpOnly cookies (SameSite=Lax, Secure everywhere but on the plain-http local stack)
 * so JavaScript on the page never sees the tokens.
 */
export function supabaseForRequest(request: Request): RequestSupabase {
  const headers = new Headers();
  const secure = !env().localStack;
  const supabase = createServerClient(env().SUPABASE_URL, env().SUPABASE_ANON_KEY, {
    cookies: {
      getAll: () =>
        parseCookieHeader(request.headers.get("cookie") ?? "").map(({ name, value }) => ({ name, value: value ?? "" })),
      setAll: (cookies) => {
        for (const { name, value, options } of cookies) {
          headers.append(
            "set-cookie",
            serializeCookieHeader(name, value, { ...options, httpOnly: true, sameSite: "lax", secure, path: "/" }),
          );
        }
      },
    },
    realtime: { transport: WebSocket as unknown as typeof globalThis.WebSocket },
  });
  return { supabase, headers };
}
