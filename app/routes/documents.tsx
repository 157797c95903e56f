import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { requireUser } from "~/auth/require-user.server";
import { ConfirmButton } from "~/components/confirm-dialog";
import { DocumentUploader } from "~/components/document-uploader";
import { SearchResults } from "~/components/search-results";
import { usePolledData } from "~/components/use-polled-data";
import { deleteDocument } from "~/documents/delete-document.server";
import { redirectWithFlash } from "~/flash.server";
import { readUploadForm } from "~/documents/read-upload-form.server";
import { MAX_QUERY_LENGTH } from "~/documents/limits";
import { describeProgress, type DocumentSummary } from "~/documents/document-progress";
import { listDocuments } from "~/documents/read-documents.server";
import { searchDocuments, type SearchResult } from "~/documents/search-documents.server";
import { uploadDocument } from "~/documents/upload-document.server";
import { pageMeta } from "~/components/page-meta";
import { checkRateLimit, retryAfterHeaders } from "~/rate-limits/check-rate-limit.server";

export const meta: MetaFunction = () => pageMeta("Documents", "Upload PDFs and search them by meaning.");

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  const query = new URL(request.url).searchParams.get("q") ?? "";
  const documents = await listDocuments(user.claims);
  // The search box stops at the limit; a longer query can only come from an edited URL, and is refused, not cut.
  if (query.trim().length > MAX_QUERY_LENGTH) {
    const searchError = searchTooLong(query.trim().length);
    return Response.json(
      { documents, query: query.slice(0, MAX_QUERY_LENGTH), results: null, searchError },
      { status: 400, headers: user.headers },
    );
  }
  if (query.trim()) {
    const limited = await checkRateLimit("search", request, user.claims.sub);
    if (!limited.allowed) {
      return Response.json(
        { documents, query, results: null, searchError: limited.message },
        { status: 429, headers: retryAfterHeaders(limited, user.headers) },
      );
    }
  }
  const results = query.trim() ? await searchDocuments(user.claims, query) : null;
  return Response.json({ documents, query, results }, { headers: user.headers });
}

function searchTooLong(length: number): string {
  return `Search with at most ${MAX_QUERY_LENGTH.toLocaleString("en")} characters; this search has ${length.toLocaleString("en")}.`;
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request);
  if (request.headers.get("content-type")?.startsWith("multipart/form-data")) {
    const limited = await checkRateLimit("upload", request, user.claims.sub);
    if (!limited.allowed)
      return Response.json(
        { error: limited.message },
        { status: 429, headers: retryAfterHeaders(limited, user.headers) },
      );
    const upload = await readUploadForm(request);
    const result = "error" in upload ? upload : await uploadDocument(user.claims, user.accessToken, upload);
    return Response.json(result, { status: "error" in result ? 400 : 200, headers: user.headers });
  }
  const form = await request.formData();
  if (form.get("intent") === "delete") {
    const deleted = await deleteDocument(user.claims, user.accessToken, form.get("documentId"));
    if (!deleted) throw new Response("We could not find that document.", { status: 404 });
    return redirectWithFlash("/documents", `“${deleted.title}” is deleted.`, user.headers);
  }
  return Response.json({ error: "Unknown action" }, { status: 400 });
}

const isProcessing = (document: DocumentSummary) => document.status === "uploaded" || document.status === "processing";

const STATUS_TONE = { uploaded: "", processing: "", ready: "status-ok", failed: "status-bad" } as const;

export default function Documents() {
  const loaded = useLoaderData<{
    documents: DocumentSummary[];
    query: string;
    results: SearchResult[] | null;
    searchError?: string;
  }>();
  const actionData = useActionData<{ error?: string }>();
  const navigation = useNavigation();
  const { query, results, searchError } = loaded;
  // Only the list is polled while something processes: the search above it is not run (or embedded) again.
  const { documents } = usePolledData("/documents/status", { documents: loaded.documents }, (data) =>
    data.documents.some(isProcessing),
  );
  return (
    <>
      <h1>Documents</h1>
      <DocumentUploader serverError={actionData?.error} />

      <section aria-labelledby="search-heading">
        <h2 id="search-heading">Search your documents</h2>
        <Form method="get" role="search">
          <label htmlFor="q" className="visually-hidden">
            Search
          </label>
          <input
            id="q"
            name="q"
            type="search"
            defaultValue={query}
            maxLength={MAX_QUERY_LENGTH}
            placeholder="Ask in your own words"
            aria-invalid={searchError ? true : undefined}
            aria-describedby={searchError ? "q-error" : undefined}
          />{" "}
          <button type="submit">
            {navigation.state === "loading" && navigation.location?.search.includes("q=") ? "Searching…" : "Search"}
          </button>
          {searchError ? (
            <p id="q-error" className="field-error" role="alert">
              {searchError}
            </p>
          ) : null}
        </Form>
        <SearchResults
          results={results}
          empty={<>No passages match “{query}”. Try other words, or upload a document that covers it.</>}
          linkTo={(result) => (
            <Link to={`/documents/${result.documentId}#page-${result.page}`}>
              <strong>{result.title}</strong> · page {result.page}
            </Link>
          )}
        />
      </section>

      <section aria-labelledby="list-heading">
        <h2 id="list-heading">Your documents</h2>
        {documents.length === 0 ? (
          <p className="muted">No documents yet. Upload a PDF to search it.</p>
        ) : (
          <div className="table-scroll">
            <table>
              <thead>
                <tr>
                  <th>Title</th>
                  <th>Status</th>
                  <th>Pages</th>
                  <th>Chunks</th>
                  <th>
                    <span className="visually-hidden">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {documents.map((document) => (
                  <tr key={document.id}>
                    <td>
                      <Link to={`/documents/${document.id}`}>{document.title}</Link>
                    </td>
                    <td>
                      <span className={`status ${STATUS_TONE[document.status]}`} data-testid="document-status">
                        {document.status}
                      </span>
                      {document.status === "failed" ? (
                        <div className="field-error">{describeProgress(document)}</div>
                      ) : document.status !== "ready" || document.unreadable_pages.length ? (
                        <div className="muted">{describeProgress(document)}</div>
                      ) : null}
                    </td>
                    <td>{document.page_count ?? "—"}</td>
                    <td>{document.chunk_count ?? "—"}</td>
                    <td>
                      <ConfirmButton
                        question={`Delete “${document.title}”?`}
                        detail="The file and its search passages are removed. This cannot be undone."
                        confirmLabel="Delete"
                        fields={{ intent: "delete", documentId: document.id }}
                      >
                        Delete<span className="visually-hidden"> “{document.title}”</span>
                      </ConfirmButton>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </>
  );
}
