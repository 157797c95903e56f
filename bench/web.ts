import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { createConfirmedAccount } from "../harness/confirmed-account";
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
const print = console.log.bind(console);
const server = await startAppProcess();

const cookie = await signedInCookie(server.url, stack.stack.env.SUPABASE_URL!);
const staticMs = await timeToFirstByte(`${server.url}/favicon.svg`);
const homeMs = await timeToFirstByte(`${server.url}/`);
// Calls the app makes to Supabase Auth while serving the shop (the session should be verified locally).
const authCallsBefore = await authCallsSoFar();
const shopMs = await timeToFirstByte(`${server.url}/shop`, cookie);
const authCalls = (await authCallsSoFar()) - authCallsBefore;
// The shop's floor: a server-rendered page (the home page's first byte) plus the one transaction the shop needs,
// run straight on the same database as the same user (begin, claims, the layout's and the page's queries, commit).
const shopQueryMs = await shopQueryAlone(cookie);
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
print(`shop_query_alone_p50_ms=${percentile(shopQueryMs, 50).toFixed(2)}`);
const shopFloorMs = percentile(homeMs, 50) + percentile(shopQueryMs, 50);
print(`shop_floor_ms=${shopFloorMs.toFixed(2)}`);
print(`shop_vs_floor_ratio=${(percentile(shopMs, 50) / shopFloorMs).toFixed(2)}`);
print(`shop_auth_calls_per_page=${(authCalls / REQUESTS).toFixed(2)}`);
print(`client_js_files=${firstLoadScripts.length}`);
print(`client_js_kb_gz=${(gzipBytes / 1024).toFixed(1)}`);

server.process.kill("SIGINT");
await new Promise((r) => server.process.once("exit", r));
await stack.stop();

/** Creates a confirmed account in the Auth emulator and signs in through the built app's /login, as a browser would. */
async function signedInCookie(appUrl: string, supabaseUrl: string): Promise<string> {
  const email = `bench-${Date.now()}@example.com`;
  const password = "a good long password";
  await createConfirmedAccount(supabaseUrl, { email, password });
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

/** The shop page's transaction (its layout's query and its own two), timed on its own through the app's database module. */
async function shopQueryAlone(sessionCookie: string): Promise<number[]> {
  const { getUser } = await import("../app/auth/require-user.server");
  const { withUser } = await import("../app/db.server");
  const { readCatalogue } = await import("../app/orders/catalogue.server");
  const { readSavedCard } = await import("../app/orders/saved-card.server");
  const { readCurrentSubscription } = await import("../app/billing/checkout.server");
  const user = await getUser(new Request(`${server.url}/shop`, { headers: { cookie: sessionCookie } }));
  if (!user) throw new Error("the bench user's session did not verify");
  const samples: number[] = [];
  for (let i = 0; i < REQUESTS; i++) {
    const started = performance.now();
    await withUser(user.claims, (tx) =>
      Promise.all([readCatalogue(tx), readSavedCard(tx), readCurrentSubscription(tx)]),
    );
    samples.push(performance.now() - started);
  }
  return samples.slice(REQUESTS / 10);
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

async function authCallsSoFar(): Promise<number> {
  return (await fetch(`${server.url}/.bench/auth-calls`)).json() as Promise<number>;
}

/** bench/serve-built-app.ts in its own process, with this process's env (the stack's), once it listens. */
async function startAppProcess(): Promise<{ url: string; process: ChildProcess }> {
  const child = spawn(process.execPath, ["--import", "tsx", path.join(ROOT, "bench/serve-built-app.ts")], {
    cwd: ROOT,
    env: process.env,
    stdio: ["ignore", "pipe", "inherit"],
  });
  const url = await new Promise<string>((resolve, reject) => {
    child.once("exit", (code) => reject(new Error(`the app process exited with ${code}`)));
    child.stdout.once("data", (chunk: Buffer) => resolve(chunk.toString().trim()));
  });
  return { url, process: child };
}
