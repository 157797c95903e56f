import { randomUUID } from "node:crypto";
import { asService, type UserClaims } from "~/db.server";
import { documentUploaded } from "~/inngest/events.server";
import { enqueueEvent } from "~/outbox/enqueue-event.server";
import { relayEvents } from "~/outbox/relay-events.server";
import { DOCUMENTS_BUCKET, storageAsUser } from "~/services/storage.server";
import { MAX_DOCUMENT_BYTES, MAX_DOCUMENT_SIZE_TEXT } from "./limits";

export interface UploadInput {
  fileName: string;
  bytes: Uint8Array;
}

/** What is wrong with an upload, in words for the form, or null when it may be processed. */
export function validateUpload(input: UploadInput): string | null {
  if (input.bytes.length === 0) return "The file is empty.";
  if (input.bytes.length > MAX_DOCUMENT_BYTES) return `The file is larger than ${MAX_DOCUMENT_SIZE_TEXT}.`;
  if (Buffer.from(input.bytes.subarray(0, 5)).toString("latin1") !== "%PDF-") return "The file is not a PDF.";
  return null;
}

/**
 * Stores a PDF under the user's own folder (with their token, so Storage's policies apply), then records it and
 * its `document/uploaded` event in one transaction (every value in it decided here, so the service role writes
 * it), and delivers the event; the outbox relay delivers it later if Inngest is unreachable now. If recording
 * fails the stored file is removed again, so nothing is left half-done.
 */
export async function uploadDocument(
  claims: UserClaims,
  accessToken: string,
  input: UploadInput,
): Promise<{ documentId: string } | { error: string }> {
  const problem = validateUpload(input);
  if (problem) return { error: problem };
  const documentId = randomUUID();
  const storagePath = `${claims.sub}/${documentId}.pdf`;
  const storage = storageAsUser(accessToken).from(DOCUMENTS_BUCKET);
  const { error } = await storage.upload(storagePath, Buffer.from(input.bytes), { contentType: "application/pdf" });
  if (error) return { error: `The upload failed: ${error.message}` };
  const title = input.fileName.replace(/\.pdf$/i, "").slice(0, 200) || "Untitled";
  let eventId: string;
  try {
    eventId = await asService(async (tx) => {
      await tx`insert into documents (id, user_id, title, storage_path, size_bytes)
        values (${documentId}, ${claims.sub}, ${title}, ${storagePath}, ${input.bytes.length})`;
      return enqueueEvent(
        tx,
        documentUploaded.create(
          { documentId, userId: claims.sub, storagePath },
          { id: `document-uploaded-${documentId}` },
        ),
      );
    });
  } catch (failure) {
    await storage.remove([storagePath]);
    throw failure;
  }
  await relayEvents([eventId]);
  return { documentId };
}
