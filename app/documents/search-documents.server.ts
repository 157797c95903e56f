import { withUser, type UserClaims } from "~/db.server";
import { embedTexts, toVectorLiteral } from "./embed-texts.server";
import { MAX_QUERY_LENGTH } from "./limits";

export interface SearchResult {
  documentId: string;
  title: string;
  page: number;
  snippet: string;
  similarity: number;
}

/** The user's own passages closest in meaning to the query (row level security keeps others' out). */
export async function searchDocuments(claims: UserClaims, query: string, limit = 10): Promise<SearchResult[]> {
  const text = query.trim().slice(0, MAX_QUERY_LENGTH);
  if (!text) return [];
  const [embedding] = await embedTexts([{ content: text, tokenCount: Math.ceil(text.length / 3) }]);
  const rows = await withUser(
    claims,
    (tx) => tx<
      { document_id: string; document_title: string; page_number: number; content: string; similarity: number }[]
    >`
    select document_id, document_title, page_number, content, similarity
    from match_document_chunks(${toVectorLiteral(embedding!)}::extensions.vector, ${0.1}, ${limit})`,
  );
  return rows.map((row) => ({
    documentId: row.document_id,
    title: row.document_title,
    page: row.page_number,
    snippet: row.content.length > 400 ? `${row.content.slice(0, 400)}…` : row.content,
    similarity: Number(row.similarity),
  }));
}
