import { asService } from "~/db.server";
import { DOCUMENTS_BUCKET, storageAsService } from "~/services/storage.server";
import { chunkPages } from "./chunk-text.server";
import { embedTexts, toVectorLiteral } from "./embed-texts.server";
import { extractPdfText } from "./extract-pdf-text.server";

// The steps of process-document. Each reads its input from the database and writes its output there, so
// step results stay small (counts) and a retried step starts from a clean slate.

/** Downloads the upload, extracts each page's text into document_pages and marks the document processing. */
export async function extractDocumentText(documentId: string): Promise<{ pageCount: number }> {
  const [document] = await asService(
    (tx) => tx<{ storage_path: string }[]>`
    update documents set status = 'processing', error = null, updated_at = now() where id = ${documentId} returning storage_path`,
  );
  if (!document) throw new Error(`Document ${documentId} no longer exists`);
  const { data, error } = await storageAsService().from(DOCUMENTS_BUCKET).download(document.storage_path);
  if (error || !data) throw new Error(`Could not download ${document.storage_path}: ${error?.message ?? "no data"}`);
  const { pages } = await extractPdfText(new Uint8Array(await data.arrayBuffer()));
  await asService(async (tx) => {
    await tx`delete from document_pages where document_id = ${documentId}`;
    await tx`insert into document_pages ${tx(pages.map((content, i) => ({ document_id: documentId, page_number: i + 1, content })))}`;
    await tx`update documents set page_count = ${pages.length} where id = ${documentId}`;
  });
  return { pageCount: pages.length };
}

/** Splits the extracted pages into chunk drafts (text only) and returns how many there are. */
export async function chunkDocument(documentId: string): Promise<{ chunkCount: number }> {
  const pages = await asService(
    (tx) => tx<{ content: string }[]>`
    select content from document_pages where document_id = ${documentId} order by page_number`,
  );
  const chunks = chunkPages(pages.map((p) => p.content));
  await asService(async (tx) => {
    await tx`delete from document_chunk_drafts where document_id = ${documentId}`;
    if (chunks.length === 0) return;
    await tx`insert into document_chunk_drafts ${tx(
      chunks.map((c) => ({
        document_id: documentId,
        chunk_index: c.index,
        page_number: c.pageNumber,
        content: c.content,
        token_count: c.tokenCount,
      })),
    )}`;
  });
  return { chunkCount: chunks.length };
}

/** Embeds every chunk draft in batched requests and stores the vectors on the drafts. */
export async function embedDocumentChunks(documentId: string): Promise<{ embedded: number }> {
  const drafts = await asService(
    (tx) => tx<{ chunk_index: number; content: string; token_count: number }[]>`
    select chunk_index, content, token_count from document_chunk_drafts where document_id = ${documentId} order by chunk_index`,
  );
  const embeddings = await embedTexts(drafts.map((d) => ({ content: d.content, tokenCount: d.token_count })));
  await asService(async (tx) => {
    const rows = drafts.map((d, i) => ({ chunk_index: d.chunk_index, embedding: toVectorLiteral(embeddings[i]!) }));
    await tx`update document_chunk_drafts d set embedding = v.embedding::extensions.vector
      from (values ${tx(rows.map((r) => [r.chunk_index, r.embedding]))}) as v(chunk_index, embedding)
      where d.document_id = ${documentId} and d.chunk_index = v.chunk_index::int`;
  });
  return { embedded: drafts.length };
}

/**
 * In one transaction: replaces the document's chunks with the embedded drafts and marks it ready. Running it
 * again after it committed (its answer was lost, so the step is retried) finds the drafts gone and the document
 * ready, and keeps the chunks it stored instead of replacing them with nothing.
 */
export async function storeDocumentVectors(documentId: string): Promise<{ chunkCount: number }> {
  return asService(async (tx) => {
    // The row lock makes a concurrent second attempt wait for this one and then see its outcome.
    const [document] = await tx<{ status: string; chunk_count: number | null }[]>`
      select status, chunk_count from documents where id = ${documentId} for update`;
    if (!document) return { chunkCount: 0 }; // deleted meanwhile: nothing left to store
    const [drafts] = await tx<
      { n: number }[]
    >`select count(*)::int as n from document_chunk_drafts where document_id = ${documentId}`;
    if (drafts!.n === 0 && document.status === "ready") return { chunkCount: document.chunk_count ?? 0 };
    await tx`delete from document_chunks where document_id = ${documentId}`;
    const inserted =
      await tx`insert into document_chunks (document_id, user_id, chunk_index, page_number, content, token_count, embedding)
      select d.document_id, doc.user_id, d.chunk_index, d.page_number, d.content, d.token_count, d.embedding
      from document_chunk_drafts d join documents doc on doc.id = d.document_id
      where d.document_id = ${documentId} and d.embedding is not null order by d.chunk_index`;
    await tx`delete from document_chunk_drafts where document_id = ${documentId}`;
    await tx`delete from document_pages where document_id = ${documentId}`;
    await tx`update documents set status = 'ready', error = null, chunk_count = ${inserted.count}, updated_at = now() where id = ${documentId}`;
    return { chunkCount: inserted.count };
  });
}

/** The pipeline gave up: tell the user why, drop the half-made data and the file that cannot be processed. */
export async function failDocument(documentId: string, reason: string): Promise<void> {
  const [document] = await asService(async (tx) => {
    await tx`delete from document_chunk_drafts where document_id = ${documentId}`;
    await tx`delete from document_pages where document_id = ${documentId}`;
    return tx<{ storage_path: string }[]>`update documents set status = 'failed', error = ${reason}, updated_at = now()
      where id = ${documentId} returning storage_path`;
  });
  if (document) await storageAsService().from(DOCUMENTS_BUCKET).remove([document.storage_path]);
}
