import { asService } from "~/db.server";
import { failOrder } from "~/orders/fail-order.server";
import { DOCUMENTS_BUCKET, storageAsService, supabaseAsService } from "~/services/storage.server";

/** The account could not be deleted as a whole; nothing that matters was deleted, and trying again is safe. */
export class AccountDeletionError extends Error {}

/**
 * Deletes an account through Supabase Auth's admin API (the database cascades every row that belongs to the
 * user). First the orders still in flight are failed, and what was charged for them refunded, since the
 * workflow cannot refund an order whose rows are gone; then the user's stored files, which no foreign key
 * reaches, are removed, and if Storage refuses the account stays so the files are not orphaned.
 */
export async function deleteAccount(userId: string) {
  const inFlight = await asService(
    (tx) => tx<{ id: string }[]>`
      select id from orders where user_id = ${userId} and status in ('placed', 'processing', 'paid')`,
  );
  for (const order of inFlight) await failOrder(order.id, "The account was deleted before the order was finished.");

  const paths = await asService(
    (tx) => tx<{ storage_path: string }[]>`select storage_path from documents where user_id = ${userId}`,
  );
  if (paths.length > 0) {
    const { error } = await storageAsService()
      .from(DOCUMENTS_BUCKET)
      .remove(paths.map((p) => p.storage_path));
    if (error) throw new AccountDeletionError(`Storage did not remove the account's files: ${error.message}`);
  }
  const { error } = await supabaseAsService().auth.admin.deleteUser(userId);
  if (error) throw new AccountDeletionError(`Could not delete the account: ${error.message}`);
}
