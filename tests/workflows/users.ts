import { randomUUID } from "node:crypto";
import type { TestStack } from "../../harness/test-stack";

/** A signed-up user, created the way Supabase Auth creates one (the profile comes from the database trigger). */
export async function createUser(stack: TestStack, options: { digest?: boolean; name?: string } = {}) {
  const email = `user-${randomUUID().slice(0, 8)}@example.com`;
  const [user] = await stack.stack.sql<{ id: string }[]>`
    insert into auth.users (email, raw_user_meta_data) values (${email}, ${stack.stack.sql.json({ full_name: options.name ?? "Test User" })}) returning id`;
  if (options.digest === false) await stack.stack.sql`update profiles set digest_opt_in = false where id = ${user!.id}`;
  return { id: user!.id, email, claims: { sub: user!.id, role: "authenticated", email } };
}
