import { asService } from "~/db.server";
import { MAILING_LISTS, type MailingList } from "./unsubscribe-link.server";

/** Stops `list` for the user; true if there was such a user (a deleted account has nothing left to stop). */
export async function unsubscribe(userId: string, list: MailingList): Promise<boolean> {
  const column = MAILING_LISTS[list].column;
  const updated = await asService(
    (tx) => tx`update profiles set ${tx(column)} = false, updated_at = now() where id = ${userId}`,
  );
  return updated.count > 0;
}
