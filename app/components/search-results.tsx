import type { ReactNode } from "react";
import { SearchSnippet } from "~/components/search-snippet";
import type { SearchResult } from "~/documents/search-documents.server";

/**
 * The passages a search found, each with its marked snippet under a link to where it is; `empty` is what the
 * page says when nothing matched. Nothing is shown before a search (`results` is null).
 */
export function SearchResults({
  results,
  empty,
  linkTo,
}: {
  results: SearchResult[] | null;
  empty: ReactNode;
  linkTo: (result: SearchResult) => ReactNode;
}) {
  if (!results) return null;
  if (results.length === 0) return <p className="muted">{empty}</p>;
  return (
    <ol className="results">
      {results.map((result, i) => (
        <li key={`${result.documentId}-${result.page}-${i}`} className="card">
          {linkTo(result)}
          <p>
            <SearchSnippet text={result.snippet} />
          </p>
        </li>
      ))}
    </ol>
  );
}
