import { NonRetriableError } from "inngest";
import { getDocumentProxy } from "unpdf";
import type { PDFDocumentProxy } from "unpdf/pdfjs";
import { MAX_DOCUMENT_PAGES } from "./limits";

// A page that takes longer than this, or makes the process grow by more than this, is not a page a user
// meant to upload: pdf.js is looping on a damaged file or a decompression bomb is unpacking.
export const PAGE_TIME_LIMIT_MS = 20_000;
export const PAGE_MEMORY_LIMIT_BYTES = 512 * 1024 * 1024;

/**
 * Opens a PDF for reading. Files no retry can fix fail with a reason a user can act on: not a PDF, encrypted,
 * unreadable, or more pages than we process.
 */
export async function openPdf(bytes: Uint8Array): Promise<PDFDocumentProxy> {
  if (bytes.length === 0) throw new NonRetriableError("The file is empty.");
  if (Buffer.from(bytes.subarray(0, 5)).toString("latin1") !== "%PDF-")
    throw new NonRetriableError("The file is not a PDF.");
  let document: PDFDocumentProxy;
  try {
    // pdf.js takes ownership of (detaches) the buffer it is given: hand it a copy.
    document = await getDocumentProxy(new Uint8Array(bytes));
  } catch (error) {
    const name = (error as { name?: string }).name;
    if (name === "PasswordException")
      throw new NonRetriableError("The PDF is encrypted; upload a copy without a password.");
    throw new NonRetriableError(
      `The PDF could not be read (${error instanceof Error ? error.message : String(error)}).`,
    );
  }
  if (document.numPages > MAX_DOCUMENT_PAGES) {
    await document.loadingTask.destroy();
    throw new NonRetriableError(
      `The PDF has ${document.numPages.toLocaleString("en")} pages; documents may have at most ${MAX_DOCUMENT_PAGES}. Split it and upload the parts.`,
    );
  }
  return document;
}

/** The text layer of one page, lines kept apart, with the page guard around it. */
export async function extractPageText(document: PDFDocumentProxy, pageNumber: number): Promise<string> {
  return guardPage(pageNumber, "read", async () => {
    const page = await document.getPage(pageNumber);
    try {
      const content = await page.getTextContent();
      const text = content.items.map((item) => ("str" in item ? item.str + (item.hasEOL ? "\n" : "") : "")).join("");
      return withoutControlCharacters(text)
        .replace(/[ \t]+\n/g, "\n")
        .trim();
    } finally {
      page.cleanup();
    }
  });
}

/**
 * Runs the work for one page and fails the step, naming the page, when it runs past the time limit or grows the
 * process past the memory limit. The work cannot be interrupted mid-call, but the step gives up on it instead of
 * running into the function's own time limit. Running late may be a busy machine, so the step is retried (that
 * page only); a page that runs late every time fails the document. Ballooning is the file's doing: no retry.
 */
export async function guardPage<T>(
  pageNumber: number,
  what: string,
  work: () => Promise<T>,
  { timeLimitMs = PAGE_TIME_LIMIT_MS, memoryLimitBytes = PAGE_MEMORY_LIMIT_BYTES } = {},
): Promise<T> {
  const before = process.memoryUsage();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(
          new Error(`Page ${pageNumber} took longer than ${timeLimitMs / 1000} s to ${what}; the PDF may be damaged.`),
        ),
      timeLimitMs,
    );
  });
  try {
    const result = await Promise.race([work(), timeout]);
    const after = process.memoryUsage();
    const grown = after.heapUsed + after.arrayBuffers - (before.heapUsed + before.arrayBuffers);
    if (grown > memoryLimitBytes)
      throw new NonRetriableError(
        `Page ${pageNumber} needed more than ${memoryLimitBytes / 1024 / 1024} MB to ${what}; the PDF may be damaged.`,
      );
    return result;
  } finally {
    clearTimeout(timer);
  }
}

/** Text without control characters (tabs and line breaks aside): search snippets use two of them as marks. */
export function withoutControlCharacters(text: string): string {
  // eslint-disable-next-line no-control-regex -- removing them is the point
  return text.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, " ");
}
