import { serveFetchHandler, type RunningServer } from "../../local/http/serve-fetch-handler";

/**
 * Serves the app's real `/api/inngest` resource route over HTTP, the way Remix would route a request to it,
 * so the executor under test drives the same serve handler users get. Import it after the environment is set:
 * the Inngest client reads INNGEST_DEV when it is created.
 */
export async function serveAppFunctions(port = 0): Promise<RunningServer & { inngestUrl: string }> {
  const route = await import("../../app/routes/api.inngest");
  const server = await serveFetchHandler(async (request) => {
    const url = new URL(request.url);
    if (url.pathname !== "/api/inngest") return new Response("Not found", { status: 404 });
    const args = { request, params: {}, context: {} };
    const handler = request.method === "GET" ? route.loader : route.action;
    return (await handler(args)) as Response;
  }, port);
  return { ...server, inngestUrl: `${server.url}/api/inngest` };
}
