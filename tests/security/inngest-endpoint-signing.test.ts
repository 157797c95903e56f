import { createHmac } from "node:crypto";
import { beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { allowConsoleErrors } from "../setup/fail-on-console-error";
import { PRODUCTION_ENV } from "../../harness/production-env";

// In production Inngest Cloud signs every request to /api/inngest; the route must refuse anything else before
// running a single step, and its introspection must not describe the app to strangers.

const SIGNING_KEY = PRODUCTION_ENV.INNGEST_SIGNING_KEY;
type Handler = (args: { request: Request; params: object; context: object }) => Promise<Response>;
let loader: Handler;
let action: Handler;

beforeAll(async () => {
  // A deployed process: no local switch, every production variable set.
  vi.stubEnv("STEPWISE_LOCAL_STACK", "");
  vi.stubEnv("INNGEST_DEV", "");
  for (const [name, value] of Object.entries(PRODUCTION_ENV)) vi.stubEnv(name, value);
  vi.resetModules();
  const route = await import("../../app/routes/api.inngest");
  loader = route.loader as unknown as Handler;
  action = route.action as unknown as Handler;
});

/** RFC 8785 for the plain JSON used here: keys sorted, no whitespace. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (value && typeof value === "object") {
    const entries = Object.entries(value).sort(([a], [b]) => (a < b ? -1 : 1));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

function signature(body: unknown, key: string, at = Math.floor(Date.now() / 1000)): string {
  const secret = key.replace(/^signkey-\w+-/, "");
  const mac = createHmac("sha256", secret)
    .update(canonical(body) + at)
    .digest("hex");
  return `t=${at}&s=${mac}`;
}

const url = "https://stepwise.netlify.app/api/inngest?fnId=stepwise-nope&stepId=step";
const body = {
  ctx: { attempt: 0, run_id: "01JTESTRUN", stack: { current: 0, stack: [] } },
  event: { data: {}, name: "test/event" },
  events: [{ data: {}, name: "test/event" }],
  steps: {},
  version: 2,
};

function call(headers: Record<string, string>) {
  const request = new Request(url, {
    method: "POST",
    headers: { host: "stepwise.netlify.app", "content-type": "application/json", ...headers },
    body: JSON.stringify(body),
  });
  return action({ request, params: {}, context: {} });
}

describe("/api/inngest in production", () => {
  // The SDK logs every rejected signature (the reason, then the request method); those logs are expected here.
  beforeEach(() => allowConsoleErrors(/signature|^\{ method: '(GET|POST|PUT)' \}$/i));

  it("refuses an unsigned step request with 401", async () => {
    const response = await call({});
    expect(response.status).toBe(401);
  });

  it("refuses a request signed with another key", async () => {
    const response = await call({
      "x-inngest-signature": signature(body, "signkey-prod-00000000000000000000000000000000"),
    });
    expect(response.status).toBe(401);
  });

  it("refuses a correctly signed request that is more than five minutes old", async () => {
    const stale = Math.floor(Date.now() / 1000) - 6 * 60;
    const response = await call({ "x-inngest-signature": signature(body, SIGNING_KEY, stale) });
    expect(response.status).toBe(401);
  });

  it("accepts a correctly signed request and only then looks for the function", async () => {
    const response = await call({ "x-inngest-signature": signature(body, SIGNING_KEY) });
    expect(response.status).toBe(500);
    expect(await response.text()).toContain('Function \\"stepwise-nope\\" was not found');
  });

  it("refuses an unsigned sync, so nobody can re-point Inngest at another deploy", async () => {
    const request = new Request("https://old-deploy--stepwise.netlify.app/api/inngest", {
      method: "PUT",
      headers: { host: "old-deploy--stepwise.netlify.app" },
    });
    const response = await action({ request, params: {}, context: {} });
    expect(response.status).toBe(401);
    expect(await response.text()).not.toMatch(/register|stepwise/i);
  });

  it("answers unsigned introspection with 401 and no description of the app", async () => {
    const request = new Request("https://stepwise.netlify.app/api/inngest", {
      headers: { host: "stepwise.netlify.app" },
    });
    const response = await loader({ request, params: {}, context: {} });
    expect(response.status).toBe(401);
    const text = await response.text();
    expect(text).not.toMatch(/function_count|signing_key|stepwise/);
    expect(response.headers.get("x-inngest-sdk")).toBeNull();
  });
});
