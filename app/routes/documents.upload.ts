import type { ActionFunctionArgs } from "@remix-run/node";
import { requireUser } from "~/auth/require-user.server";
import { readUploadForm } from "~/documents/read-upload-form.server";
import { uploadDocument } from "~/documents/upload-document.server";
import { checkRateLimit, retryAfterHeaders } from "~/rate-limits/check-rate-limit.server";

/** JSON upload endpoint the documents page uses from JavaScript, so it can show upload progress. */
export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const limited = await checkRateLimit("upload", request, user.claims.sub);
  if (!limited.allowed)
    return Response.json(
      { error: limited.message },
      { status: 429, headers: retryAfterHeaders(limited, user.headers) },
    );
  const upload = await readUploadForm(request);
  const result = "error" in upload ? upload : await uploadDocument(user.claims, user.accessToken, upload);
  return Response.json(result, { status: "error" in result ? 400 : 201, headers: user.headers });
}
