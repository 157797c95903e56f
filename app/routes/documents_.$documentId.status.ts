import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireUser } from "~/auth/require-user.server";
import { readDocument } from "~/documents/read-documents.server";

/** One document's status and pages, polled by its page while it processes. */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  const detail = await readDocument(user.claims, params.documentId);
  if (!detail) throw new Response("We could not find that document.", { status: 404 });
  const { storage_path: _path, ...document } = detail.document;
  return Response.json({ document, pages: detail.pages }, { headers: user.headers });
}
