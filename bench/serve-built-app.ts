import { readFile, stat } from "node:fs/promises";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { serveFetchHandler } from "../local/http/serve-fetch-handler";

// The built app in a process of its own, as it runs everywhere it is deployed: Netlify runs the function apart
// from the database, and `npm run dev` runs the app apart from the local services. Like Netlify with
// preferStatic, files under build/client are served first and everything else goes to the Remix function.
// Usage: tsx bench/serve-built-app.ts (the environment points at the running local stack); prints its URL.

const ROOT = path.resolve(import.meta.dirname, "..");
const CLIENT_DIR = path.join(ROOT, "build/client");

// The Netlify adapter logs two lines per request; keep them out of the parent's output.
console.log = () => {};
const handler = (await import(pathToFileURL(path.join(ROOT, ".netlify/functions-internal/remix-server.mjs")).href))
  .default;

// Calls the app makes to Supabase Auth, which the parent reads from /.bench/auth-calls: a signed-in page should
// verify its session locally.
let authCalls = 0;
const authUrl = `${process.env.SUPABASE_URL}/auth/`;
const realFetch = globalThis.fetch;
globalThis.fetch = (input, init) => {
  if (String(input instanceof Request ? input.url : input).startsWith(authUrl)) authCalls += 1;
  return realFetch(input, init);
};

const server = await serveFetchHandler(async (request) => {
  if (new URL(request.url).pathname === "/.bench/auth-calls") return Response.json(authCalls);
  const file = path.join(CLIENT_DIR, decodeURIComponent(new URL(request.url).pathname));
  if (file.startsWith(CLIENT_DIR) && (await stat(file).catch(() => null))?.isFile()) {
    return new Response(await readFile(file), { headers: { "content-type": contentType(file) } });
  }
  return handler(request, {});
}, 0);
process.stdout.write(`${server.url}\n`);

function contentType(file: string): string {
  if (file.endsWith(".js")) return "text/javascript";
  if (file.endsWith(".css")) return "text/css";
  if (file.endsWith(".svg")) return "image/svg+xml";
  return "application/octet-stream";
}
process.on("SIGINT", () => process.exit(0));
