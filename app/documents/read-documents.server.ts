import { isRowId } from "~/auth/row-id";
import { withUser, type UserClaims } from "~/db.server";
import type { DocumentPage, DocumentSummary } from "./document-progress";

const PREVIEW_CHARACTERS = 280;

/** The user's documents, newest first (row level security keeps others' out). */
export async function listDocuments(claims: UserClaims): Promise<DocumentSummary[]> {
  return withUser(
    claims,
    (tx) => tx<DocumentSummary[]>`
    select id, title, status, error, page_count, pages_read, chunk_count, chunks_embedded, unreadable_pages, created_at
    from documents order by created_at desc limit 200`,
  );
}

/**
 * One of the user's documents with its pages, or null when the user has no such document: someone else's
 * (row level security hides it), none at all, or not an id. All three look the same to the caller.
 */
export async function readDocument(
  claims: UserClaims,
  documentId: unknown,
): Promise<{ document: DocumentSummary & { storage_path: string }; pages: DocumentPage[] } | null> {
  if (!isRowId(documentId)) return null;
  return withUser(claims, async (tx) => {
    const [document] = await tx<Array<DocumentSummary & { storage_path: string }>>`
      select id, title, status, error, page_count, pages_read, chunk_count, chunks_embedded, unreadable_pages, created_at, storage_path
      from documents where id = ${documentId}`;
    if (!document) return null;
    const pages = await tx<DocumentPage[]>`
      select page_number, text_source, ocr_confidence, left(regexp_replace(content, '\\s+', ' ', 'g'), ${PREVIEW_CHARACTERS}) as preview
      from document_pages where document_id = ${documentId} order by page_number`;
    return { document, pages };
  });
}
