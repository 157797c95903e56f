import { withUser, type UserClaims } from "~/db.server";
import { withoutControlCharacters } from "./extract-pdf-text.server";
import { embedTexts, toVectorLiteral } from "./embed-texts.server";
import { MAX_QUERY_LENGTH } from "./limits";

export interface SearchResult {
  documentId: string;
  title: string;
  page: number;
  /** Text around the matched words; each match is wrapped in \u0002…\u0003 (see SnippetText). */
  snippet: string;
  score: number;
}

export interface SearchOptions {
  /** Only this document's passages. */
  documentId?: string;
  limit?: number;
  /**
   * How much each ranking counts in the fusion: both fully by default. Zero turns one off, which is how the
   * quality evaluation measures each alone (bench/quality).
   */
  weights?: { fullText: number; semantic: number };
}

// A query typed again (another page of results, a reload, a revalidation after an action) is not embedded
// again: the vector of a text never changes. Small, because a query's vector is 6 KB.
const QUERY_EMBEDDINGS = new Map<string, number[]>();
const MAX_CACHED_QUERIES = 200;

async function embedQuery(text: string): Promise<number[]> {
  const cached = QUERY_EMBEDDINGS.get(text);
  if (cached) return cached;
  const [embedding] = await embedTexts([{ content: text, tokenCount: Math.ceil(text.length / 3) }]);
  if (QUERY_EMBEDDINGS.size >= MAX_CACHED_QUERIES) QUERY_EMBEDDINGS.delete(QUERY_EMBEDDINGS.keys().next().value!);
  QUERY_EMBEDDINGS.set(text, embedding!);
  return embedding!;
}

/**
 * The user's own passages that best match the query by its words and by its meaning, fused by reciprocal rank
 * in the database (row level security keeps others' out). No threshold: the best matches always come back.
 */
export async function searchDocuments(
  claims: UserClaims,
  query: string,
  options: SearchOptions = {},
): Promise<SearchResult[]> {
  // Control characters mean nothing to either search, and Postgres refuses a NUL in text.
  const text = withoutControlCharacters(query.trim().slice(0, MAX_QUERY_LENGTH)).trim();
  if (!text) return [];
  const embedding = await embedQuery(text);
  const rows = await withUser(
    claims,
    (tx) => tx<{ document_id: string; document_title: string; page_number: number; snippet: string; score: number }[]>`
    select document_id, document_title, page_number, snippet, score
    from hybrid_search_document_chunks(${text}, ${toVectorLiteral(embedding)}::extensions.vector, ${options.limit ?? 10}, ${options.documentId ?? null}::uuid,
      ${options.weights?.fullText ?? 1}, ${options.weights?.semantic ?? 1})`,
  );
  return rows.map((row) => ({
    documentId: row.document_id,
    title: row.document_title,
    page: row.page_number,
    snippet: row.snippet,
    score: Number(row.score),
  }));
}
