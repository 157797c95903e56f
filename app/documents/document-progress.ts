// What the documents pages show of a document, shared by their loaders and components.

export type DocumentStatus = "uploaded" | "processing" | "ready" | "failed";

export interface DocumentSummary {
  id: string;
  title: string;
  status: DocumentStatus;
  error: string | null;
  page_count: number | null;
  pages_read: number;
  chunk_count: number | null;
  chunks_embedded: number;
  unreadable_pages: number[];
  created_at: string;
}

export interface DocumentPage {
  page_number: number;
  text_source: "text" | "ocr" | "unreadable";
  ocr_confidence: number | null;
  preview: string;
}

/** What a document's status means to its owner, with progress while it is processed. */
export function describeProgress(document: DocumentSummary): string {
  if (document.status === "uploaded") return "Waiting to be processed";
  if (document.status === "failed") return document.error ?? "Processing failed";
  if (document.status === "ready") {
    const unreadable = document.unreadable_pages.length;
    return unreadable ? `Ready · ${unreadable} page${unreadable === 1 ? "" : "s"} could not be read` : "Ready";
  }
  const pages = document.page_count ? `${document.pages_read} of ${document.page_count} pages read` : "Opening";
  const chunks = document.chunk_count
    ? ` · ${document.chunks_embedded} of ${document.chunk_count} passages embedded`
    : "";
  return pages + chunks;
}
