import { isRowId } from "~/auth/row-id";
import { withUser, type UserClaims } from "~/db.server";
import { DOCUMENTS_BUCKET, storageAsUser } from "~/services/storage.server";

/**
 * Deletes one of the user's documents: its chunks go with the row (cascade), then the stored file. False when
 * the user has no such document: someone else's (row level security hides it), none at all, or not an id.
 */
export async function deleteDocument(claims: UserClaims, accessToken: string, documentId: unknown): Promise<boolean> {
  if (!isRowId(documentId)) return false;
  const [deleted] = await withUser(
    claims,
    (tx) => tx<{ storage_path: string }[]>`
    delete from documents where id = ${documentId} returning storage_path`,
  );
  if (!deleted) return false;
  await storageAsUser(accessToken).from(DOCUMENTS_BUCKET).remove([deleted.storage_path]);
  return true;
}
