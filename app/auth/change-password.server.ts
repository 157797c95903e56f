import type { SupabaseClient } from "@supabase/supabase-js";
import { MIN_PASSWORD_LENGTH, passwordProblem } from "./password-rules";

/**
 * Sets the signed-in user's password (Auth then ends their other sessions), or says what to fix. The length is
 * checked here first so a long paste gets a clear answer instead of Auth's.
 */
export async function passwordChangeError(
  supabase: SupabaseClient,
  password: FormDataEntryValue | null,
): Promise<{ status: number; message: string } | null> {
  const problem = passwordProblem(password);
  if (problem || typeof password !== "string") return { status: 400, message: problem ?? "Enter a password." };
  const { error } = await supabase.auth.updateUser({ password });
  if (!error) return null;
  if (error.code === "same_password")
    return { status: 400, message: "That is your current password. Choose a different one." };
  if (error.code === "weak_password")
    return { status: 400, message: `Use at least ${MIN_PASSWORD_LENGTH} characters.` };
  throw error;
}
