import { asService } from "~/db.server";
import type { DigestSummary } from "~/emails/digest-email";

/** Everyone who wants the digest today. */
export async function listDigestRecipients(): Promise<string[]> {
  const rows = await asService((tx) => tx<{ id: string }[]>`select id from profiles where digest_opt_in order by created_at`);
  return rows.map((row) => row.id);
}

/** What happened to a user's orders and documents in the day before `date`. */
export async function summariseDay(userId: string, date: string): Promise<DigestSummary> {
  const [row] = await asService((tx) => tx<{ placed: number; shipped: number; ready: number }[]>`
    select
      (select count(*)::int from orders where user_id = ${userId} and created_at >= ${date}::date - 1 and created_at < ${date}::date + 1) as placed,
      (select count(*)::int from orders where user_id = ${userId} and status = 'shipped' and updated_at >= ${date}::date - 1) as shipped,
      (select count(*)::int from documents where user_id = ${userId} and status = 'ready' and updated_at >= ${date}::date - 1) as ready`);
  return { ordersPlaced: row!.placed, ordersShipped: row!.shipped, documentsReady: row!.ready };
}
