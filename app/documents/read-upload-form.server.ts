import { hasUnprintable } from "~/forms/printable-text";
import { MAX_DOCUMENT_BYTES, MAX_DOCUMENT_SIZE_TEXT } from "./limits";

/** Longer names than most file systems keep are not a document's title. */
const MAX_FILE_NAME_LENGTH = 255;

/** The uploaded file from a form post, refusing a body over the limit before reading it all. */
export async function readUploadForm(
  request: Request,
): Promise<{ fileName: string; bytes: Uint8Array } | { error: string }> {
  const length = Number(request.headers.get("content-length") ?? 0);
  if (length > MAX_DOCUMENT_BYTES + 64 * 1024) return { error: `The file is larger than ${MAX_DOCUMENT_SIZE_TEXT}.` };
  const file = (await request.formData()).get("file");
  if (!file || typeof file === "string") return { error: "Choose a PDF to upload." };
  if ([...file.name].length > MAX_FILE_NAME_LENGTH)
    return { error: `Rename the file: its name is longer than ${MAX_FILE_NAME_LENGTH} characters.` };
  if (hasUnprintable(file.name)) return { error: "Rename the file: its name has invisible or control characters." };
  return { fileName: file.name || "Untitled.pdf", bytes: new Uint8Array(await file.arrayBuffer()) };
}
