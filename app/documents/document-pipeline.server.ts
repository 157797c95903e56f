import { NonRetriableError } from "inngest";
import type { PDFDocumentProxy } from "unpdf/pdfjs";
import { asService } from "~/db.server";
import { DOCUMENTS_BUCKET, storageAsService } from "~/services/storage.server";
import { chunkPages } from "./chunk-text.server";
import { embedTexts, toVectorLiteral } from "./embed-texts.server";
import { extractPageText, guardPage, openPdf } from "./extract-pdf-text.server";
import { MAX_DOCUMENT_BYTES, MAX_DOCUMENT_SIZE_TEXT } from "./limits";
import { ocrPage } from "./ocr-page.server";
import { detectLanguage, pageTextQuality, readsAsLanguage, type SearchLanguage } from "./page-language";

// The steps of process-document. Each reads its input from the database and writes its output there, so
// step results stay small (counts, page numbers) and a retried step redoes its own pages or chunks only.

/** Pages read per step: a few seconds of pdf.js, and one multi-row insert. */
export const PAGES_PER_STEP = 50;
/**
 * Chunks embedded per step. A chunk has at most 500 tokens, so a step's chunks stay under OpenAI's 300,000
 * tokens and 2,048 inputs per request, and one step is one request of a few seconds.
 */
export const CHUNKS_PER_EMBED_STEP = 500;
/** Rows per insert: far below postgres.js's 65,534 parameters per statement. */
const ROWS_PER_INSERT = 1_000;
/** Below this Tesseract is guessing, and its text would be indexed as garbage. */
const MIN_OCR_CONFIDENCE = 60;
const OCR_TIME_LIMIT_MS = 45_000;

// The last download, so the steps of one run in one process read the file from Storage once, not per step.
let lastDownload: { path: string; bytes: Uint8Array } | undefined;

async function downloadUpload(storagePath: string): Promise<Uint8Array> {
  if (lastDownload?.path === storagePath) return lastDownload.bytes;
  const { data, error } = await storageAsService().from(DOCUMENTS_BUCKET).download(storagePath);
  if (error || !data) throw new Error(`Could not download ${storagePath}: ${error?.message ?? "no data"}`);
  const bytes = new Uint8Array(await data.arrayBuffer());
  lastDownload = { path: storagePath, bytes };
  return bytes;
}

async function withDocumentPdf<T>(documentId: string, work: (pdf: PDFDocumentProxy) => Promise<T>): Promise<T> {
  const [document] = await asService(
    (tx) => tx<{ storage_path: string }[]>`select storage_path from documents where id = ${documentId}`,
  );
  if (!document) throw new NonRetriableError(`Document ${documentId} no longer exists`);
  const pdf = await openPdf(await downloadUpload(document.storage_path));
  try {
    return await work(pdf);
  } finally {
    await pdf.loadingTask.destroy();
  }
}

/** Marks the document processing and checks it against the limits before any page is read. */
export async function openDocument(documentId: string): Promise<{ pageCount: number }> {
  const [document] = await asService(
    (tx) => tx<{ storage_path: string }[]>`
    update documents set status = 'processing', error = null, pages_read = 0, chunks_embedded = 0, updated_at = now()
    where id = ${documentId} returning storage_path`,
  );
  if (!document) throw new NonRetriableError(`Document ${documentId} no longer exists`);
  // The size Storage holds, not the one the browser declared.
  const bytes = await downloadUpload(document.storage_path);
  if (bytes.length > MAX_DOCUMENT_BYTES)
    throw new NonRetriableError(`The file is larger than ${MAX_DOCUMENT_SIZE_TEXT}.`);
  const pdf = await openPdf(bytes);
  const pageCount = pdf.numPages;
  await pdf.loadingTask.destroy();
  await asService(async (tx) => {
    await tx`delete from document_pages where document_id = ${documentId}`;
    await tx`update documents set page_count = ${pageCount}, size_bytes = ${bytes.length} where id = ${documentId}`;
  });
  return { pageCount };
}

/**
 * Reads pages `first`…`last` from the text layer; returns those whose text is not running language, for OCR.
 * A page of a few clean words keeps them, so OCR can only add to it.
 */
export async function extractPages(documentId: string, first: number, last: number): Promise<{ needOcr: number[] }> {
  const pages = await withDocumentPdf(documentId, async (pdf) => {
    const texts: Array<{ page_number: number; content: string; readable: boolean; needsOcr: boolean }> = [];
    for (let n = first; n <= last; n++) {
      const content = await extractPageText(pdf, n);
      const quality = pageTextQuality(content);
      texts.push({ page_number: n, content, readable: quality !== "garbage", needsOcr: quality !== "language" });
    }
    return texts;
  });
  await asService(async (tx) => {
    await tx`insert into document_pages ${tx(
      pages.map((p) => ({
        document_id: documentId,
        page_number: p.page_number,
        // Garbage is not kept: until OCR reads the page, it has no text.
        content: p.readable ? p.content : "",
        text_source: p.readable ? "text" : "unreadable",
      })),
    )} on conflict (document_id, page_number) do update set content = excluded.content, text_source = excluded.text_source, ocr_confidence = null`;
    await tx`update documents set pages_read = (select count(*) from document_pages where document_id = ${documentId} and text_source <> 'unreadable'), updated_at = now() where id = ${documentId}`;
  });
  return { needOcr: pages.filter((p) => p.needsOcr).map((p) => p.page_number) };
}

/** The document's language from the text its pages have so far; `simple` when there is none yet (a scan). */
export async function detectDocumentLanguage(documentId: string): Promise<{ language: SearchLanguage }> {
  const [sample] = await asService(
    (tx) => tx<{ text: string | null }[]>`
    select string_agg(left(content, 4000), ' ' order by page_number) as text
    from (select content, page_number from document_pages where document_id = ${documentId} and text_source <> 'unreadable' order by page_number limit 20) p`,
  );
  const language = detectLanguage(sample?.text ?? "");
  await asService((tx) => tx`update documents set language = ${language} where id = ${documentId}`);
  return { language };
}

/**
 * Reads one page with OCR in the document's language. Text that still does not read as language (or that
 * Tesseract is unsure of) is dropped: the page keeps the few words its text layer had, or else stays
 * unreadable and is reported, never indexed.
 */
export async function ocrDocumentPage(
  documentId: string,
  pageNumber: number,
  language: SearchLanguage,
): Promise<{ readable: boolean; language: SearchLanguage }> {
  const result = await withDocumentPdf(documentId, async (pdf) => {
    const read = (lang: SearchLanguage) =>
      guardPage(pageNumber, "read with OCR", () => ocrPage(pdf, pageNumber, lang), { timeLimitMs: OCR_TIME_LIMIT_MS });
    let ocr = await read(language);
    let detected = language;
    // A scan has no text to tell its language by: read it as English, and again as French if that is what it is.
    if (language !== "french" && detectLanguage(ocr.text) === "french") {
      const french = await read("french");
      if (french.confidence >= ocr.confidence) ocr = french;
      detected = "french";
    } else if (language === "simple" && detectLanguage(ocr.text) === "english") detected = "english";
    return { ...ocr, language: detected };
  });
  const readable = result.confidence >= MIN_OCR_CONFIDENCE && readsAsLanguage(result.text);
  await asService(async (tx) => {
    if (readable) {
      await tx`update document_pages set content = ${result.text}, text_source = 'ocr', ocr_confidence = ${result.confidence}
        where document_id = ${documentId} and page_number = ${pageNumber}`;
    } else {
      await tx`update document_pages set ocr_confidence = ${result.confidence}
        where document_id = ${documentId} and page_number = ${pageNumber}`;
    }
    // A scanned document learns its language from its first page that OCR could read.
    if (readable && language === "simple" && result.language !== "simple")
      await tx`update documents set language = ${result.language} where id = ${documentId} and language = 'simple'`;
    await tx`update documents set pages_read = (select count(*) from document_pages where document_id = ${documentId} and text_source <> 'unreadable'), updated_at = now() where id = ${documentId}`;
  });
  return { readable, language: readable && language === "simple" ? result.language : language };
}

/** Splits the readable pages into chunk drafts (text only) and returns how many there are. */
export async function chunkDocument(documentId: string): Promise<{ chunkCount: number }> {
  const pages = await asService(
    (tx) => tx<{ page_number: number; content: string; text_source: string }[]>`
    select page_number, content, text_source from document_pages where document_id = ${documentId} order by page_number`,
  );
  // Unreadable pages stay in the list as empty text, so every chunk keeps its true page number.
  const texts: string[] = [];
  for (const page of pages) texts[page.page_number - 1] = page.text_source === "unreadable" ? "" : page.content;
  const chunks = chunkPages(Array.from(texts, (text) => text ?? ""));
  if (chunks.length === 0) {
    const unreadable = pages.filter((p) => p.text_source === "unreadable").map((p) => p.page_number);
    throw new NonRetriableError(
      `No page of this PDF could be read, even with OCR (${pageList(unreadable)}). Upload a copy with selectable text or a sharper scan.`,
    );
  }
  await asService(async (tx) => {
    await tx`delete from document_chunk_drafts where document_id = ${documentId}`;
    for (let from = 0; from < chunks.length; from += ROWS_PER_INSERT) {
      await tx`insert into document_chunk_drafts ${tx(
        chunks.slice(from, from + ROWS_PER_INSERT).map((c) => ({
          document_id: documentId,
          chunk_index: c.index,
          page_number: c.pageNumber,
          content: c.content,
          token_count: c.tokenCount,
        })),
      )}`;
    }
    await tx`update documents set chunk_count = ${chunks.length}, chunks_embedded = 0 where id = ${documentId}`;
  });
  return { chunkCount: chunks.length };
}

/** Embeds the chunk drafts with index in [from, to) and stores the vectors on the drafts. */
export async function embedDocumentChunks(documentId: string, from: number, to: number): Promise<{ embedded: number }> {
  const drafts = await asService(
    (tx) => tx<{ chunk_index: number; content: string; token_count: number }[]>`
    select chunk_index, content, token_count from document_chunk_drafts
    where document_id = ${documentId} and chunk_index >= ${from} and chunk_index < ${to} order by chunk_index`,
  );
  if (drafts.length === 0) return { embedded: 0 };
  const embeddings = await embedTexts(drafts.map((d) => ({ content: d.content, tokenCount: d.token_count })));
  await asService(async (tx) => {
    const rows = drafts.map((d, i) => [d.chunk_index, toVectorLiteral(embeddings[i]!)]);
    await tx`update document_chunk_drafts d set embedding = v.embedding::extensions.vector
      from (values ${tx(rows)}) as v(chunk_index, embedding)
      where d.document_id = ${documentId} and d.chunk_index = v.chunk_index::int`;
    await tx`update documents set chunks_embedded = (select count(*) from document_chunk_drafts where document_id = ${documentId} and embedding is not null), updated_at = now() where id = ${documentId}`;
  });
  return { embedded: drafts.length };
}

/**
 * In one transaction: replaces the document's chunks with the embedded drafts, with their full-text vectors,
 * and marks it ready, listing the pages nothing could read. Running it again after it committed (its answer
 * was lost, so the step is retried) finds the drafts gone and the document ready, and keeps what it stored.
 */
export async function storeDocumentVectors(documentId: string): Promise<{ chunkCount: number; unreadable: number[] }> {
  return asService(async (tx) => {
    // The row lock makes a concurrent second attempt wait for this one and then see its outcome.
    const [document] = await tx<{ status: string; chunk_count: number | null; unreadable_pages: number[] }[]>`
      select status, chunk_count, unreadable_pages from documents where id = ${documentId} for update`;
    if (!document) return { chunkCount: 0, unreadable: [] }; // deleted meanwhile: nothing left to store
    const [drafts] = await tx<
      { n: number }[]
    >`select count(*)::int as n from document_chunk_drafts where document_id = ${documentId}`;
    if (drafts!.n === 0 && document.status === "ready")
      return { chunkCount: document.chunk_count ?? 0, unreadable: document.unreadable_pages };
    await tx`delete from document_chunks where document_id = ${documentId}`;
    const inserted =
      await tx`insert into document_chunks (document_id, user_id, chunk_index, page_number, content, token_count, embedding, fts)
      select d.document_id, doc.user_id, d.chunk_index, d.page_number, d.content, d.token_count, d.embedding,
        document_chunk_search_vector(doc.language, doc.title, d.content)
      from document_chunk_drafts d join documents doc on doc.id = d.document_id
      where d.document_id = ${documentId} and d.embedding is not null order by d.chunk_index`;
    await tx`delete from document_chunk_drafts where document_id = ${documentId}`;
    const [pages] = await tx<{ unreadable: number[] }[]>`
      select coalesce(array_agg(page_number order by page_number) filter (where text_source = 'unreadable'), '{}') as unreadable
      from document_pages where document_id = ${documentId}`;
    await tx`update documents set status = 'ready', error = null, chunk_count = ${inserted.count}, chunks_embedded = ${inserted.count},
      unreadable_pages = ${pages!.unreadable}, updated_at = now() where id = ${documentId}`;
    return { chunkCount: inserted.count, unreadable: pages!.unreadable };
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

/** "pages 2–4 and 7", for messages. */
export function pageList(pages: number[]): string {
  const ranges: string[] = [];
  for (let i = 0; i < pages.length; i++) {
    let j = i;
    while (j + 1 < pages.length && pages[j + 1] === pages[j]! + 1) j++;
    ranges.push(j > i ? `${pages[i]}–${pages[j]}` : String(pages[i]));
    i = j;
  }
  if (ranges.length === 0) return "no pages";
  const label = pages.length === 1 ? "page" : "pages";
  return `${label} ${ranges.length === 1 ? ranges[0] : `${ranges.slice(0, -1).join(", ")} and ${ranges.at(-1)}`}`;
}
