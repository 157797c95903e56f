import { LOCAL_DEFAULTS } from "../contracts/local-defaults";

/**
 * An account whose address counts as confirmed, made through Supabase Auth's admin API (`email_confirm: true`,
 * as an operator would), for tests and benchmarks about something other than signing up. The sign-up journey
 * itself, with its link in the mailbox, is tested through the pages.
 */
export async function createConfirmedAccount(
  supabaseUrl: string,
  account: { email: string; password: string; name?: string },
): Promise<{ id: string }> {
  const response = await fetch(`${supabaseUrl}/auth/v1/admin/users`, {
    method: "POST",
    headers: {
      apikey: LOCAL_DEFAULTS.SUPABASE_SERVICE_ROLE_KEY,
      authorization: `Bearer ${LOCAL_DEFAULTS.SUPABASE_SERVICE_ROLE_KEY}`,
      "content-type": "application/json",
    },
    body: JSON.stringify({
      email: account.email,
      password: account.password,
      email_confirm: true,
      user_metadata: account.name ? { full_name: account.name } : {},
    }),
  });
  if (!response.ok) throw new Error(`Creating ${account.email} failed: ${response.status} ${await response.text()}`);
  return { id: ((await response.json()) as { id: string }).id };
}
