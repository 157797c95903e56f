import { asService } from "~/db.server";

export interface UserForEmail {
  id: string;
  email: string;
  name: string;
  digestOptIn: boolean;
  tipsOptIn: boolean;
}

/**
 * The fields emails need, or null when the account no longer exists or its address is not confirmed: no mail
 * of ours goes to an address its owner has not proved.
 */
export async function loadUserForEmail(userId: string): Promise<UserForEmail | null> {
  const [row] = await asService(
    (tx) => tx<{ id: string; email: string; full_name: string | null; digest_opt_in: boolean; tips_opt_in: boolean }[]>`
    select id, email, full_name, digest_opt_in, tips_opt_in from profiles where id = ${userId} and email_confirmed`,
  );
  if (!row) return null;
  return {
    id: row.id,
    email: row.email,
    name: row.full_name || row.email.split("@")[0]!,
    digestOptIn: row.digest_opt_in,
    tipsOptIn: row.tips_opt_in,
  };
}
