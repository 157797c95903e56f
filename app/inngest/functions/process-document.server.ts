import {
  chunkDocument,
  embedDocumentChunks,
  extractDocumentText,
  failDocument,
  storeDocumentVectors,
} from "~/documents/document-pipeline.server";
import { inngest } from "~/inngest/client.server";
import { documentUploaded } from "~/inngest/events.server";

/** PDF → page texts → ≤500-token chunks → embeddings (batched) → pgvector, with status the user can follow. */
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
    const { pageCount } = await step.run("extract-text", () => extractDocumentText(documentId));
    const { chunkCount } = await step.run("chunk-text", () => chunkDocument(documentId));
    await step.run("generate-embeddings", () => embedDocumentChunks(documentId));
    await step.run("store-vectors", () => storeDocumentVectors(documentId));
    return { pageCount, chunkCount, status: "ready" as const };
  },
);
