import { randomUUID } from "node:crypto";
import type { UserClaims } from "../../app/db.server";
import type { CorpusDocument } from "./corpus";
import type { LabelledQuery, QueryKind } from "./labels";

// The search-quality evaluation: the corpus indexed through the pipeline's own chunk, embed and store steps,
// then every labelled query searched three ways through the app's searchDocuments, which only changes the
// weight of each ranking in the fusion.

export const RANKINGS = {
  "vector-only": { fullText: 0, semantic: 1 },
  "full-text-only": { fullText: 1, semantic: 0 },
  hybrid: { fullText: 1, semantic: 1 },
} as const;
export type Ranking = keyof typeof RANKINGS;

export interface Scores {
  queries: number;
  /** Share of queries whose first result is on a right page. */
  top1: number;
  /** Mean of 1 / rank of the first right page, 0 when it is not among the first ten pages. */
  mrr10: number;
  /** Share of the right pages among the first five pages, averaged over queries. */
  recall5: number;
}

export interface QueryOutcome {
  label: LabelledQuery;
  ranking: Ranking;
  /** 1-based rank of the first right page among distinct pages, or null when it is not in the results. */
  rank: number | null;
  recall5: number;
}

/**
 * Stores the corpus's pages as documents of `userId` and runs the pipeline's chunk, embed and store steps on
 * them (the steps after reading, which the corpus has done). Returns each document's id by title.
 */
export async function indexCorpus(userId: string, corpus: CorpusDocument[]): Promise<Map<string, string>> {
  const { asService } = await import("../../app/db.server");
  const steps = await import("../../app/documents/document-pipeline.server");
  const ids = new Map<string, string>();
  for (const document of corpus) {
    const documentId = randomUUID();
    await asService(async (tx) => {
      await tx`insert into documents (id, user_id, title, storage_path, size_bytes, status, language, page_count)
        values (${documentId}, ${userId}, ${document.title}, ${`${userId}/${documentId}.pdf`}, 1, 'processing',
          ${document.language}, ${document.pages.length})`;
      await tx`insert into document_pages ${tx(
        document.pages.map((page) => ({
          document_id: documentId,
          page_number: page.page,
          content: page.text,
          text_source: page.textSource,
        })),
      )}`;
    });
    const { chunkCount } = await steps.chunkDocument(documentId);
    for (let from = 0; from < chunkCount; from += steps.CHUNKS_PER_EMBED_STEP)
      await steps.embedDocumentChunks(documentId, from, from + steps.CHUNKS_PER_EMBED_STEP);
    await steps.storeDocumentVectors(documentId);
    ids.set(document.title, documentId);
  }
  return ids;
}

/** Searches every query with each ranking (all three unless told), as `claims`, and scores where the right pages came. */
export async function evaluateSearch(
  claims: UserClaims,
  labels: LabelledQuery[],
  documentIds: Map<string, string>,
  rankings = Object.keys(RANKINGS) as Ranking[],
): Promise<QueryOutcome[]> {
  const { searchDocuments } = await import("../../app/documents/search-documents.server");
  const outcomes: QueryOutcome[] = [];
  for (const label of labels) {
    const documentId = documentIds.get(label.document);
    if (!documentId) throw new Error(`"${label.query}" is labelled with ${label.document}, which is not indexed`);
    const right = new Set(label.pages.map((page) => `${documentId}:${page}`));
    for (const ranking of rankings) {
      const results = await searchDocuments(claims, label.query, { limit: 30, weights: RANKINGS[ranking] });
      // Passages of one page count once, where that page first comes: the user is sent to pages.
      const pages = [...new Set(results.map((result) => `${result.documentId}:${result.page}`))].slice(0, 10);
      const index = pages.findIndex((page) => right.has(page));
      const recall5 = pages.slice(0, 5).filter((page) => right.has(page)).length / right.size;
      outcomes.push({ label, ranking, rank: index === -1 ? null : index + 1, recall5 });
    }
  }
  return outcomes;
}

/** The scores of the outcomes of one ranking, over one kind of query or all of them. */
export function scoresOf(outcomes: QueryOutcome[], ranking: Ranking, kind?: QueryKind): Scores {
  const chosen = outcomes.filter((o) => o.ranking === ranking && (!kind || o.label.kind === kind));
  const mean = (value: (o: QueryOutcome) => number) =>
    chosen.length === 0 ? 0 : chosen.reduce((sum, o) => sum + value(o), 0) / chosen.length;
  return {
    queries: chosen.length,
    top1: mean((o) => (o.rank === 1 ? 1 : 0)),
    mrr10: mean((o) => (o.rank === null ? 0 : 1 / o.rank)),
    recall5: mean((o) => o.recall5),
  };
}
