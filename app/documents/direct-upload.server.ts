import { randomUUID } from "node:crypto";
import { z } from "zod";
import { withUser, type UserClaims } from "~/db.server";
import { env } from "~/env.server";
import { inngest } from "~/inngest/client.server";
import { documentUploaded } from "~/inngest/events.server";
import { DOCUMENTS_BUCKET, storageAsUser } from "~/services/storage.server";
import { MAX_DOCUMENT_BYTES, MAX_DOCUMENT_SIZE_TEXT } from "./limits";

// A browser uploads the file straight to Supabase Storage: a Netlify Function takes request bodies up to 6 MB
// only, far below the 50 MB a document may have. The app checks and records the upload first (start), hands
// the browser a signed upload URL for that one object, and starts processing when the file is there (finish).

const StartUpload = z.object({
  fileName: z.string().min(1).max(1_000),
  size: z.int().nonnegative(),
  type: z.string().max(200),
});

export interface StartedUpload {
  documentId: string;
  /** PUT the file here (multipart, as storage-js's uploadToSignedUrl does), with the project's public key. */
  signedUrl: string;
  apikey: string;
}

/** What is wrong with a file as the browser describes it, or null. Storage and the workflow check again. */
export function checkDeclaredFile(file: { size: number; type: string; fileName: string }): string | null {
  if (file.size === 0) return "The file is empty.";
  if (file.size > MAX_DOCUMENT_BYTES) return `The file is larger than ${MAX_DOCUMENT_SIZE_TEXT}.`;
  if (file.type !== "application/pdf" && !/\.pdf$/i.test(file.fileName)) return "Choose a PDF file.";
  return null;
}

export async function startDirectUpload(
  claims: UserClaims,
  accessToken: string,
  input: unknown,
): Promise<StartedUpload | { error: string }> {
  const parsed = StartUpload.safeParse(input);
  if (!parsed.success) return { error: "Describe the file with its name, size and type." };
  const problem = checkDeclaredFile(parsed.data);
  if (problem) return { error: problem };
  const documentId = randomUUID();
  const storagePath = `${claims.sub}/${documentId}.pdf`;
  // Signed as the user: Storage refuses unless its policies let them write this path.
  const { data, error } = await storageAsUser(accessToken).from(DOCUMENTS_BUCKET).createSignedUploadUrl(storagePath);
  if (error || !data) return { error: `The upload could not start: ${error?.message ?? "no URL"}` };
  const title = parsed.data.fileName.replace(/\.pdf$/i, "").slice(0, 200) || "Untitled";
  await withUser(
    claims,
    (tx) => tx`insert into documents (id, user_id, title, storage_path, size_bytes)
    values (${documentId}, ${claims.sub}, ${title}, ${storagePath}, ${parsed.data.size})`,
  );
  return { documentId, signedUrl: data.signedUrl, apikey: env().SUPABASE_ANON_KEY };
}

/**
 * The browser says the file is in Storage: check that it is (the user's own object, within the limit) and
 * start processing. Saying so twice starts it once (the event id is the document's).
 */
export async function finishDirectUpload(
  claims: UserClaims,
  accessToken: string,
  documentId: unknown,
): Promise<{ documentId: string } | { error: string; status: number }> {
  const parsed = z.uuid().safeParse(documentId);
  if (!parsed.success) return { error: "We could not find that document.", status: 404 };
  const [document] = await withUser(
    claims,
    (tx) => tx<{ storage_path: string; status: string }[]>`
    select storage_path, status from documents where id = ${parsed.data}`,
  );
  if (!document) return { error: "We could not find that document.", status: 404 };
  const [folder, fileName] = document.storage_path.split("/") as [string, string];
  const { data } = await storageAsUser(accessToken).from(DOCUMENTS_BUCKET).list(folder, { search: fileName });
  const object = data?.find((entry) => entry.name === fileName);
  if (!object) return { error: "The file has not arrived in storage; upload it again.", status: 409 };
  const size = Number((object.metadata as { size?: number } | null)?.size ?? 0);
  if (size > MAX_DOCUMENT_BYTES) return { error: `The file is larger than ${MAX_DOCUMENT_SIZE_TEXT}.`, status: 413 };
  await inngest.send(
    documentUploaded.create(
      { documentId: parsed.data, userId: claims.sub, storagePath: document.storage_path },
      { id: `document-uploaded-${parsed.data}` },
    ),
  );
  return { documentId: parsed.data };
}
