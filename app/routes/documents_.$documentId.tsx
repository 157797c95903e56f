import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData, useNavigation } from "@remix-run/react";
import { requireUser } from "~/auth/require-user.server";
import { pageMeta } from "~/components/page-meta";
import { SearchResults } from "~/components/search-results";
import { usePolledData } from "~/components/use-polled-data";
import { deleteDocument } from "~/documents/delete-document.server";
import { MAX_QUERY_LENGTH } from "~/documents/limits";
import { describeProgress, type DocumentPage, type DocumentSummary } from "~/documents/document-progress";
import { readDocument } from "~/documents/read-documents.server";
import { searchDocuments, type SearchResult } from "~/documents/search-documents.server";
import { DOCUMENTS_BUCKET, storageAsUser } from "~/services/storage.server";

export const meta: MetaFunction<typeof loader> = ({ data }) =>
  pageMeta(
    (data as { document?: { title: string } } | undefined)?.document?.title ?? "Document",
    "One document: its pages as they were read, a search within it, and its download.",
  );

/** A download link lives this long: enough to start the download, too short to be worth sharing. */
const DOWNLOAD_LINK_SECONDS = 60;

const documentNotFound = () => new Response("We could not find that document.", { status: 404 });

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  const detail = await readDocument(user.claims, params.documentId);
  // Someone else's document, a deleted one and a made-up id all answer the same.
  if (!detail) throw documentNotFound();
  const { storage_path: _path, ...document } = detail.document;
  const query = (new URL(request.url).searchParams.get("q") ?? "").slice(0, MAX_QUERY_LENGTH);
  const results =
    query.trim() && document.status === "ready"
      ? await searchDocuments(user.claims, query, { documentId: document.id })
      : null;
  return Response.json({ document, pages: detail.pages, query, results }, { headers: user.headers });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const intent = (await request.formData()).get("intent");
  if (intent === "delete") {
    if (!(await deleteDocument(user.claims, user.accessToken, params.documentId))) throw documentNotFound();
    return redirect("/documents", { headers: user.headers });
  }
  if (intent === "download") {
    const detail = await readDocument(user.claims, params.documentId);
    if (!detail) throw documentNotFound();
    // Signed as the user, so Storage's own policies decide again; the link expires within a minute.
    const { data, error } = await storageAsUser(user.accessToken)
      .from(DOCUMENTS_BUCKET)
      .createSignedUrl(detail.document.storage_path, DOWNLOAD_LINK_SECONDS, {
        download: `${detail.document.title}.pdf`,
      });
    if (error || !data) throw new Response("The file could not be found in storage.", { status: 404 });
    return redirect(data.signedUrl, { headers: user.headers });
  }
  return Response.json({ error: "Unknown action" }, { status: 400 });
}

const SOURCE_LABEL = { text: null, ocr: "read with OCR", unreadable: "could not be read" } as const;

export default function DocumentPageView() {
  const loaded = useLoaderData<{
    document: DocumentSummary;
    pages: DocumentPage[];
    query: string;
    results: SearchResult[] | null;
  }>();
  const live = usePolledData(
    `/documents/${loaded.document.id}/status`,
    loaded,
    (data) => data.document.status === "uploaded" || data.document.status === "processing",
  );
  const { document, pages } = live;
  const navigation = useNavigation();
  return (
    <>
      <p>
        <Link to="/documents">← All documents</Link>
      </p>
      <h1>{document.title}</h1>
      <p>
        <span
          className={`status ${document.status === "ready" ? "status-ok" : document.status === "failed" ? "status-bad" : ""}`}
          data-testid="document-status"
        >
          {document.status}
        </span>{" "}
        <span data-testid="document-progress">{describeProgress(document)}</span>
      </p>
      {document.unreadable_pages.length > 0 ? (
        <p className="field-error" role="note">
          Not searchable: page{document.unreadable_pages.length === 1 ? "" : "s"} {document.unreadable_pages.join(", ")}{" "}
          had no text we could read, even with OCR.
        </p>
      ) : null}
      <div className="actions">
        <Form method="post" reloadDocument>
          <input type="hidden" name="intent" value="download" />
          <button type="submit" className="secondary">
            Download PDF
          </button>
        </Form>
        <Form
          method="post"
          onSubmit={(event) => {
            if (!confirm(`Delete “${document.title}”?`)) event.preventDefault();
          }}
        >
          <input type="hidden" name="intent" value="delete" />
          <button type="submit" className="secondary">
            Delete
          </button>
        </Form>
      </div>

      {document.status === "ready" ? (
        <section aria-labelledby="search-heading">
          <h2 id="search-heading">Search this document</h2>
          <Form method="get" role="search">
            <label htmlFor="q" className="visually-hidden">
              Search this document
            </label>
            <input id="q" name="q" type="search" defaultValue={loaded.query} maxLength={MAX_QUERY_LENGTH} />{" "}
            <button type="submit">{navigation.state === "loading" ? "Searching…" : "Search"}</button>
          </Form>
          <SearchResults
            results={loaded.results}
            empty={<>No passages match “{loaded.query}”.</>}
            linkTo={(result) => <a href={`#page-${result.page}`}>page {result.page}</a>}
          />
        </section>
      ) : null}

      <section aria-labelledby="pages-heading">
        <h2 id="pages-heading">Pages</h2>
        {pages.length === 0 ? (
          <p className="muted">No pages read yet.</p>
        ) : (
          <ol className="pages">
            {pages.map((page) => (
              <li key={page.page_number} id={`page-${page.page_number}`} data-testid="document-page">
                <strong>Page {page.page_number}</strong>
                {SOURCE_LABEL[page.text_source] ? (
                  <span className={`status ${page.text_source === "unreadable" ? "status-bad" : ""}`}>
                    {" "}
                    {SOURCE_LABEL[page.text_source]}
                  </span>
                ) : null}
                <p className="muted">{page.preview || "—"}</p>
              </li>
            ))}
          </ol>
        )}
      </section>
    </>
  );
}
