import { spawnSync } from "node:child_process";
import { readFile, stat } from "node:fs/promises";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { gzipSync } from "node:zlib";
import { serveFetchHandler } from "../local/http/serve-fetch-handler";
import { startTestStack } from "../harness/test-stack";
import { percentile } from "./percentile";

// Web figures: how much slower a server-rendered page's first byte is than a static file's, served by the same
// server in the same run — the home page, and the shop (the product page: a signed-in user's session checked with
// Supabase Auth, products and stock read through RLS) — and how much JavaScript a first visit downloads (gzipped).

const ROOT = path.resolve(import.meta.dirname, "..");
const CLIENT_DIR = path.join(ROOT, "build/client");
const REQUESTS = 300;

const build = spawnSync("npx", ["remix", "vite:build"], { cwd: ROOT, stdio: "ignore" });
if (build.status !== 0) throw new Error("npm run build failed");

// The whole local back end (database, Supabase Auth emulator, ...), with the process env pointed at it.
const stack = await startTestStack();
// The Netlify adapter logs two lines per request; keep them out of the figures.
const print = console.log.bind(console);
console.log = () => {};
const handler = (await import(pathToFileURL(path.join(ROOT, ".netlify/functions-internal/remix-server.mjs")).href))
  .default;

// Like Netlify with preferStatic: files under build/client first, everything else to the Remix function.
const server = await serveFetchHandler(async (request) => {
  const file = path.join(CLIENT_DIR, decodeURIComponent(new URL(request.url).pathname));
  if (file.startsWith(CLIENT_DIR) && (await stat(file).catch(() => null))?.isFile()) {
    return new Response(await readFile(file), { headers: { "content-type": contentType(file) } });
  }
  return handler(request, {});
}, 0);

const cookie = await signedInCookie(server.url, stack.stack.env.SUPABASE_URL!);
const staticMs = await timeToFirstByte(`${server.url}/favicon.svg`);
const homeMs = await timeToFirstByte(`${server.url}/`);
const shopMs = await timeToFirstByte(`${server.url}/shop`, cookie);
const html = await (await fetch(`${server.url}/`)).text();
const firstLoadScripts = scriptsOnFirstLoad(html);
let gzipBytes = 0;
for (const src of firstLoadScripts) gzipBytes += gzipSync(await readFile(path.join(CLIENT_DIR, src))).length;

print(`static_ttfb_p50_ms=${percentile(staticMs, 50).toFixed(2)}`);
print(`home_ttfb_p50_ms=${percentile(homeMs, 50).toFixed(2)}`);
print(`home_ttfb_p95_ms=${percentile(homeMs, 95).toFixed(2)}`);
print(`ssr_ttfb_ratio=${(percentile(homeMs, 50) / percentile(staticMs, 50)).toFixed(2)}`);
print(`shop_ttfb_p50_ms=${percentile(shopMs, 50).toFixed(2)}`);
print(`shop_ttfb_p95_ms=${percentile(shopMs, 95).toFixed(2)}`);
print(`shop_ssr_ttfb_ratio=${(percentile(shopMs, 50) / percentile(staticMs, 50)).toFixed(2)}`);
print(`client_js_files=${firstLoadScripts.length}`);
print(`client_js_kb_gz=${(gzipBytes / 1024).toFixed(1)}`);

await server.stop();
await stack.stop();

/** Creates an account in the Auth emulator and signs in through the built app's /login, as a browser would. */
async function signedInCookie(appUrl: string, supabaseUrl: string): Promise<string> {
  const email = `bench-${Date.now()}@example.com`;
  const password = "a good long password";
  const signup = await fetch(`${supabaseUrl}/auth/v1/signup`, {
    method: "POST",
    headers: { apikey: process.env.SUPABASE_ANON_KEY!, "content-type": "application/json" },
    body: JSON.stringify({ email, password }),
  });
  if (!signup.ok) throw new Error(`sign-up failed: ${signup.status} ${await signup.text()}`);
  const login = await fetch(`${appUrl}/login`, {
    method: "POST",
    body: new URLSearchParams({ email, password, redirectTo: "/shop" }),
    redirect: "manual",
  });
  const cookie = login.headers
    .getSetCookie()
    .map((line) => line.split(";")[0]!)
    .join("; ");
  const shop = await fetch(`${appUrl}/shop`, { headers: { cookie } });
  if (login.status !== 302 || !shop.ok || !(await shop.text()).includes("Buy"))
    throw new Error(`signing in for the shop page failed: ${login.status} ${shop.status}`);
  return cookie;
}

async function timeToFirstByte(url: string, cookie?: string): Promise<number[]> {
  const samples: number[] = [];
  for (let i = 0; i < REQUESTS; i++) {
    const started = performance.now();
    const response = await fetch(url, { headers: { host: new URL(url).host, ...(cookie ? { cookie } : {}) } });
    samples.push(performance.now() - started); // fetch resolves when the headers arrive
    await response.arrayBuffer();
  }
  return samples.slice(REQUESTS / 10); // the first tenth warms the JIT and the connection
}

/** Every module the home page asks for before it is interactive: preloads, module scripts and imports. */
function scriptsOnFirstLoad(page: string): string[] {
  const found = new Set<string>();
  for (const match of page.matchAll(/<link rel="modulepreload" href="([^"]+)"/g)) found.add(match[1]!);
  for (const match of page.matchAll(/import\(?\s*"(\/assets\/[^"]+\.js)"/g)) found.add(match[1]!);
  for (const match of page.matchAll(/import \* as \w+ from "(\/assets\/[^"]+\.js)"/g)) found.add(match[1]!);
  return [...found].filter((src) => src.startsWith("/assets/"));
}

function contentType(file: string): string {
  if (file.endsWith(".js")) return "text/javascript";
  if (file.endsWith(".css")) return "text/css";
  if (file.endsWith(".svg")) return "image/svg+xml";
  return "application/octet-stream";
}
