import { asService } from "~/db.server";
import { inngest } from "~/inngest/client.server";
import { digestSendBatches } from "./digest-send-batches.server";

/**
 * Users per digest step. A step's output is stored and sent back on every later request of the run (Inngest
 * caps it at 4 MB), so a step returns the page's size and cursor, never its users; 5,000 users keep a step
 * to one indexed query and ten sends, and 100,000 users to 20 steps of the run's 1,000.
 */
export const DIGEST_PAGE_SIZE = 5000;

export interface DigestPage {
  sent: number;
  /** The last user id of a full page, where the next page starts; null when this was the last page. */
  nextAfter: string | null;
}

/**
 * Sends `digest/send` for the next page of opted-in users after `after` (in id order, the primary key, so the
 * cursor needs no other index and a user who signs up mid-run cannot shift a page). Retrying a page sends the
 * same events again, and Inngest drops them by their ids (`digest-<user>-<date>`).
 */
export async function sendDigestPage(
  date: string,
  after: string | null,
  pageSize = DIGEST_PAGE_SIZE,
): Promise<DigestPage> {
  const rows = await asService(
    (tx) => tx<{ id: string }[]>`select id from profiles
      where digest_opt_in and (${after}::uuid is null or id > ${after}::uuid) order by id limit ${pageSize}`,
  );
  for (const batch of digestSendBatches(
    rows.map((row) => row.id),
    date,
  )) {
    await inngest.send(batch);
  }
  return { sent: rows.length, nextAfter: rows.length === pageSize ? rows.at(-1)!.id : null };
}
