import type { ActionFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { supabaseForRequest } from "~/auth/supabase-session.server";

export async function action({ request }: ActionFunctionArgs) {
  const { supabase, headers } = supabaseForRequest(request);
  await supabase.auth.signOut();
  return redirect("/", { headers });
}

export const loader = () => redirect("/");
