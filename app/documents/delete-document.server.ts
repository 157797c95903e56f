import { isRowId } from "~/auth/row-id";
import { withUser, type UserClaims } from "~/db.server";
import { DOCUMENTS_BUCKET, storageAsUser } from "~/services/storage.server";

/**
 * Deletes one of the user's documents: its chunks go with the row (cascade), then the stored file. Returns the
 * deleted document's title, or null when the user has no such document: someone else's (row level security
 * hides it), none at all, or not an id.
 */
export async function deleteDocument(
  claims: UserClaims,
  accessToken: string,
  documentId: unknown,
): Promise<{ title: string } | null> {
  if (!isRowId(documentId)) return null;
  const [deleted] = await withUser(
    claims,
    (tx) => tx<{ storage_path: string; title: string }[]>`
    delete from documents where id = ${documentId} returning storage_path, title`,
  );
  if (!deleted) return null;
  await storageAsUser(accessToken).from(DOCUMENTS_BUCKET).remove([deleted.storage_path]);
  return { title: deleted.title };
}
