import { asService } from "~/db.server";
import { DOCUMENTS_BUCKET, storageAsService, supabaseAsService } from "~/services/storage.server";

/**
 * Deletes an account through Supabase Auth's admin API (the database cascades every row that belongs to the
 * user), after removing the user's stored files, which no foreign key reaches.
 */
export async function deleteAccount(userId: string) {
  const paths = await asService(
    (tx) => tx<{ storage_path: string }[]>`select storage_path from documents where user_id = ${userId}`,
  );
  if (paths.length > 0)
    await storageAsService()
      .from(DOCUMENTS_BUCKET)
      .remove(paths.map((p) => p.storage_path));
  const { error } = await supabaseAsService().auth.admin.deleteUser(userId);
  if (error) throw new Error(`Could not delete the account: ${error.message}`);
}
