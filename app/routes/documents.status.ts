import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireUser } from "~/auth/require-user.server";
import { listDocuments } from "~/documents/read-documents.server";

/** The documents list alone, polled by the documents page while something processes. */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  return Response.json({ documents: await listDocuments(user.claims) }, { headers: user.headers });
}
