import { asService } from "~/db.server";

/** The ids of everyone who wants the daily digest, oldest account first so batches are stable across retries. */
export async function listDigestRecipients(): Promise<string[]> {
  const rows = await asService(
    (tx) => tx<{ id: string }[]>`select id from profiles where digest_opt_in order by created_at, id`,
  );
  return rows.map((row) => row.id);
}
