import { existsSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";

// `npm test` builds before it runs vitest; this drives the built Netlify function the way the Functions v2
// runtime does: a default export called with (Request, Context) that returns a Response.
const FUNCTION_FILE = path.resolve(import.meta.dirname, "../../.netlify/functions-internal/remix-server.mjs");

type NetlifyHandler = (request: Request, context: Record<string, unknown>) => Promise<Response>;
let handler: NetlifyHandler;
let config: { path: string; preferStatic: boolean };

beforeAll(async () => {
  if (!existsSync(FUNCTION_FILE)) throw new Error(`${FUNCTION_FILE} is missing: run \`npm run build\` first`);
  process.env.INNGEST_DEV = "http://127.0.0.1:9";
  const mod = await import(pathToFileURL(FUNCTION_FILE).href);
  handler = mod.default;
  config = mod.config;
});

// Netlify's runtime hands functions a Request carrying the Host header; inngest/remix reads the URL from it.
const requestFor = (path: string) =>
  new Request(`https://stepwise.netlify.app${path}`, { headers: { host: "stepwise.netlify.app" } });

const context = {
  site: { url: "https://stepwise.netlify.app" },
  geo: {},
  ip: "127.0.0.1",
  requestId: "test",
  params: {},
};

describe("the built Netlify function", () => {
  it("claims every path but lets static files win", () => {
    expect(config).toMatchObject({ path: "/*", preferStatic: true });
  });

  it("server-renders the home page", async () => {
    const response = await handler(requestFor("/"), context);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("text/html");
    const html = await response.text();
    expect(html).toContain("<h1>Stepwise</h1>");
    expect(html).toMatch(/<script[^>]+type="module"/);
  });

  it("serves the Inngest endpoint's introspection from the same function", async () => {
    const response = await handler(requestFor("/api/inngest"), context);
    expect(response.status).toBe(200);
    expect(response.headers.get("x-inngest-sdk")).toMatch(/^inngest-js:v4\./);
    const body = await response.json();
    expect(body).toMatchObject({ mode: "dev", function_count: expect.any(Number) });
  });
});
