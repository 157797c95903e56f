import {
  CHUNKS_PER_EMBED_STEP,
  chunkDocument,
  detectDocumentLanguage,
  embedDocumentChunks,
  extractPages,
  failDocument,
  ocrDocumentPage,
  openDocument,
  PAGES_PER_STEP,
  storeDocumentVectors,
} from "~/documents/document-pipeline.server";
import { inngest } from "~/inngest/client.server";
import { documentUploaded } from "~/inngest/events.server";

/**
 * PDF → page texts (OCR where the text layer is garbage or missing) → ≤500-token chunks → embeddings →
 * pgvector and full-text vectors, with progress the user can follow. Every step handles a bounded slice (50
 * pages, one OCR'd page, 500 chunks), so each fits the function time limit and a retry repeats that slice only.
 */
export const processDocument = inngest.createFunction(
  {
    id: "process-document",
    retries: 2,
    // Five documents at a time per user keeps one user's bulk upload from starving everyone's embeddings.
    concurrency: { limit: 5, key: "event.data.userId" },
    idempotency: "event.data.documentId",
    triggers: [documentUploaded],
    onFailure: async ({ event, error, step }) => {
      const { documentId } = event.data.event.data as { documentId: string };
      await step.run("mark-document-failed", () => failDocument(documentId, error.message));
    },
  },
  async ({ event, step }) => {
    const { documentId } = event.data;
    const { pageCount } = await step.run("open-document", () => openDocument(documentId));
    const needOcr: number[] = [];
    for (let first = 1; first <= pageCount; first += PAGES_PER_STEP) {
      const last = Math.min(pageCount, first + PAGES_PER_STEP - 1);
      const pages = await step.run(`extract-pages-${first}-${last}`, () => extractPages(documentId, first, last));
      needOcr.push(...pages.needOcr);
    }
    let { language } = await step.run("detect-language", () => detectDocumentLanguage(documentId));
    for (const pageNumber of needOcr) {
      const page = await step.run(`ocr-page-${pageNumber}`, () => ocrDocumentPage(documentId, pageNumber, language));
      language = page.language;
    }
    const { chunkCount } = await step.run("chunk-text", () => chunkDocument(documentId));
    for (let from = 0; from < chunkCount; from += CHUNKS_PER_EMBED_STEP) {
      const to = Math.min(chunkCount, from + CHUNKS_PER_EMBED_STEP);
      await step.run(`embed-chunks-${from}-${to}`, () => embedDocumentChunks(documentId, from, to));
    }
    const { unreadable } = await step.run("store-vectors", () => storeDocumentVectors(documentId));
    return { pageCount, chunkCount, unreadablePages: unreadable, status: "ready" as const };
  },
);
