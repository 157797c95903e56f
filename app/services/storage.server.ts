import { createClient, type SupabaseClient } from "@supabase/supabase-js";
import { env } from "~/env.server";

export const DOCUMENTS_BUCKET = "documents";

/** Storage as the signed-in user: the bucket's row level security decides what they may touch. */
export function storageAsUser(accessToken: string): SupabaseClient["storage"] {
  return createClient(env().SUPABASE_URL, env().SUPABASE_ANON_KEY, {
    auth: { persistSession: false, autoRefreshToken: false },
    global: { headers: { Authorization: `Bearer ${accessToken}` } },
  }).storage;
}

let serviceClient: SupabaseClient | undefined;

/** Supabase as the service role (admin API, every user's files): trusted server code and workflows only. */
export function supabaseAsService(): SupabaseClient {
  serviceClient ??= createClient(env().SUPABASE_URL, env().SUPABASE_SERVICE_ROLE_KEY, {
    auth: { persistSession: false, autoRefreshToken: false },
  });
  return serviceClient;
}

/** Storage as the service role, for workflows: reads any user's uploads. */
export function storageAsService(): SupabaseClient["storage"] {
  return supabaseAsService().storage;
}
