import { randomUUID } from "node:crypto";
import type postgres from "postgres";

// Rows tests arrange or read directly, as a superuser: what Supabase Auth and the seed would have made.

/** A signed-up user, created the way Supabase Auth creates one (the profile comes from the database trigger). */
export async function createUser(sql: postgres.Sql, options: { digest?: boolean; name?: string } = {}) {
  const email = `user-${randomUUID().slice(0, 8)}@example.com`;
  const [user] = await sql<{ id: string }[]>`
    insert into auth.users (email, raw_user_meta_data) values (${email}, ${sql.json({ full_name: options.name ?? "Test User" })}) returning id`;
  if (options.digest === false) await sql`update profiles set digest_opt_in = false where id = ${user!.id}`;
  return { id: user!.id, email, claims: { sub: user!.id, role: "authenticated", email } };
}

/** The id of a seeded product. */
export async function productId(sql: postgres.Sql, slug: string): Promise<string> {
  const [row] = await sql<{ id: string }[]>`select id from products where slug = ${slug}`;
  return row!.id;
}

/** How many of a seeded product are in stock. */
export async function stockOf(sql: postgres.Sql, slug: string): Promise<number> {
  const [row] = await sql<{ on_hand: number }[]>`
    select on_hand from inventory join products on id = product_id where slug = ${slug}`;
  return row!.on_hand;
}
