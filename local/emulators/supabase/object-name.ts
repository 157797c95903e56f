import { storageError } from "./gotrue-errors";

/**
 * An object name as stored, or Storage's `InvalidKey` answer. Supabase Storage keeps keys in S3, where `..` is
 * just two dots; this emulator keeps the bytes on disk, where `UID/../VICTIM/doc.pdf` (however it was
 * percent-encoded on the way in) would pass RLS as the caller's own folder and write into another user's. So a
 * name is Unicode-normalised (NFC, as macOS and Linux file names differ otherwise) and refused when a segment is
 * empty, `.` or `..`, or it holds a backslash or a control character.
 */
export function objectName(raw: string): { name: string } | { invalid: Response } {
  const name = raw.normalize("NFC");
  const segments = name.split("/");
  const unsafe =
    name.length === 0 ||
    name.length > 1024 ||
    [...name].some((char) => char <= "\u001f" || char === "\u007f" || char === "\\") ||
    segments.some((segment) => segment === "" || segment === "." || segment === "..");
  return unsafe ? { invalid: storageError(400, "400", "InvalidKey", `Invalid key: ${raw}`) } : { name };
}
