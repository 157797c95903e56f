import { NonRetriableError } from "inngest";
import { extractText, getDocumentProxy } from "unpdf";

export interface ExtractedPages {
  pages: string[];
}

/**
 * The text of each page of a PDF. Files no retry can fix fail with a reason a user can act on: not a PDF,
 * encrypted, or only images (a scan without a text layer).
 */
export async function extractPdfText(bytes: Uint8Array): Promise<ExtractedPages> {
  if (bytes.length === 0) throw new NonRetriableError("The file is empty.");
  if (Buffer.from(bytes.subarray(0, 5)).toString("latin1") !== "%PDF-")
    throw new NonRetriableError("The file is not a PDF.");
  let document;
  try {
    document = await getDocumentProxy(new Uint8Array(bytes));
  } catch (error) {
    const name = (error as { name?: string }).name;
    if (name === "PasswordException")
      throw new NonRetriableError("The PDF is encrypted; upload a copy without a password.");
    throw new NonRetriableError(
      `The PDF could not be read (${error instanceof Error ? error.message : String(error)}).`,
    );
  }
  const { text } = await extractText(document, { mergePages: false });
  const pages = (text as string[]).map((page) => page.replace(/[ \t]+\n/g, "\n").trim());
  if (pages.every((page) => page.length === 0)) {
    throw new NonRetriableError("The PDF has no text layer (it looks like a scan); upload a PDF with selectable text.");
  }
  return { pages };
}
