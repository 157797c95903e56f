import type { ActionFunctionArgs } from "@remix-run/node";
import { requireUser } from "~/auth/require-user.server";
import { finishDirectUpload, startDirectUpload } from "~/documents/direct-upload.server";
import { readUploadForm } from "~/documents/read-upload-form.server";
import { uploadDocument } from "~/documents/upload-document.server";
import { checkRateLimit, retryAfterHeaders } from "~/rate-limits/check-rate-limit.server";

/**
 * The upload endpoint the documents page uses from JavaScript. JSON `{ intent: "start", fileName, size, type }`
 * records the document and answers a signed Storage upload URL; `{ intent: "finish", documentId }` starts
 * processing once the browser has put the file there. A multipart body (scripts, small files) is stored
 * through this function instead.
 */
export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request);
  // One upload is counted once: at its start (or its multipart post), not again when it finishes.
  const json = request.headers.get("content-type")?.startsWith("application/json");
  const body = json
    ? ((await request.json().catch(() => null)) as { intent?: string; documentId?: unknown } | null)
    : null;
  if (body?.intent !== "finish") {
    const limited = await checkRateLimit("upload", request, user.claims.sub);
    if (!limited.allowed)
      return Response.json(
        { error: limited.message },
        { status: 429, headers: retryAfterHeaders(limited, user.headers) },
      );
  }
  if (json) {
    if (body?.intent === "start") {
      const started = await startDirectUpload(user.claims, user.accessToken, body);
      return Response.json(started, { status: "error" in started ? 400 : 201, headers: user.headers });
    }
    if (body?.intent === "finish") {
      const finished = await finishDirectUpload(user.claims, user.accessToken, body.documentId);
      if ("error" in finished)
        return Response.json({ error: finished.error }, { status: finished.status, headers: user.headers });
      return Response.json(finished, { status: 202, headers: user.headers });
    }
    return Response.json({ error: 'Send intent "start" or "finish".' }, { status: 400, headers: user.headers });
  }
  const upload = await readUploadForm(request);
  const result = "error" in upload ? upload : await uploadDocument(user.claims, user.accessToken, upload);
  return Response.json(result, { status: "error" in result ? 400 : 201, headers: user.headers });
}
