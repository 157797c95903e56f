import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { createServer as createNetServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { chromium, type Browser } from "@playwright/test";
import { createLogger, createServer, type Logger, type ViteDevServer } from "vite";
import { afterAll, beforeAll, expect, it } from "vitest";
import { startTestStack, type TestStack } from "../../harness/test-stack";

// What a new developer sees first: the Vite dev server on an empty dependency cache, the home page, then sign-up.
// It must hydrate on the first try: no "new dependencies optimized … reloading", no second page load, and
// nothing in the browser console (a hydration mismatch is a console error).

const ROOT = path.resolve(import.meta.dirname, "../..");
const viteLog: string[] = [];
let stack: TestStack;
let cacheDir: string;
let vite: ViteDevServer;
let browser: Browser;
let appUrl: string;

function recordingLogger(): Logger {
  const logger = createLogger("info", { allowClearScreen: false });
  const record = (msg: string) => void viteLog.push(msg);
  return { ...logger, info: record, warn: record, warnOnce: record, error: record, clearScreen: () => {} };
}

async function freePort(): Promise<number> {
  const server = createNetServer().listen(0, "127.0.0.1");
  await new Promise((resolve) => server.once("listening", resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

beforeAll(async () => {
  stack = await startTestStack();
  cacheDir = await mkdtemp(path.join(tmpdir(), "stepwise-vite-cache-"));
  const port = await freePort();
  vite = await createServer({
    configFile: path.join(ROOT, "vite.config.ts"),
    root: ROOT,
    mode: "development",
    cacheDir,
    server: { port, strictPort: true, host: "127.0.0.1" },
    customLogger: recordingLogger(),
  });
  await vite.listen();
  appUrl = `http://127.0.0.1:${port}`;
  // As in playwright.config.ts: Debian's chromium when Playwright's own browser is not installed.
  browser = await chromium.launch({
    executablePath: existsSync(chromium.executablePath()) ? undefined : "/usr/bin/chromium",
    args: ["--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
  });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await vite?.close();
  await stack?.stop();
  if (cacheDir) await rm(cacheDir, { recursive: true, force: true });
});

it("the first page from a cold dependency cache hydrates without a reload, and sign-up works on it", async () => {
  const page = await browser.newPage();
  const consoleProblems: string[] = [];
  let documentLoads = 0;
  page.on("console", (message) => {
    if (message.type() === "error" || message.type() === "warning") consoleProblems.push(message.text());
  });
  page.on("pageerror", (error) => consoleProblems.push(`uncaught: ${error.message}`));
  page.on("load", () => documentLoads++);

  await page.goto(appUrl);
  // Following the link without a new document load shows React has taken the page over.
  await page.getByRole("link", { name: "Create an account" }).click();
  await page.getByLabel("Name").fill("First Visitor");
  await page.getByLabel("Email").fill(`cold-start-${Date.now()}@example.com`);
  await page.getByLabel("Password (8+ characters)").fill("a good long password");
  await page.getByRole("button", { name: "Create account" }).click();
  await page.getByText("Welcome to Stepwise! Your welcome email is on its way.").waitFor({ timeout: 30_000 });

  expect(page.url()).toMatch(/\/shop\?welcome=1$/);
  expect(documentLoads, "document loads (a reload or a non-hydrated form post adds one)").toBe(1);
  expect(consoleProblems).toEqual([]);
  expect(viteLog.filter((line) => /optimiz|reload/i.test(line))).toEqual([]);
}, 120_000);
