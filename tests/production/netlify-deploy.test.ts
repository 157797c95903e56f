import { createHash, randomUUID } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import Stripe from "stripe";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LOCAL_DEFAULTS } from "../../contracts/local-defaults";
import { startLocalStack, type LocalStack } from "../../local/start-local-stack";
import { PRODUCTION_ENV } from "../../harness/production-env";
import { readTemplateDatabase } from "../../harness/template-database";
import { startInngestCloud } from "./inngest-cloud";
import { buildForNetlify, runSyncPlugin, startNetlifyFunction, type DeployedFunction, type Vars } from "./netlify-site";

// The production path, simulated end to end: the site built as Netlify builds it for two deploy contexts
// (production from main; a deploy preview of branch feature-x), each function run under Netlify's runtime
// contract (its own process seeing only the UI variables plus URL, SITE_NAME and SITE_ID: no NODE_ENV, CONTEXT
// or BRANCH), the inngest-sync build plugin run as Netlify Build runs it, and a stand-in for Inngest Cloud that
// keeps production and branch environments apart as Cloud does.

const SITE_URL = "https://stepwise.netlify.app";
const PREVIEW_URL = "https://deploy-preview-42--stepwise.netlify.app";
const PRODUCTION_KEY = PRODUCTION_ENV.INNGEST_SIGNING_KEY;
const BRANCH_KEY = "signkey-branch-0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0";
const SITE = { URL: SITE_URL, SITE_NAME: "stepwise", SITE_ID: "5a1e0c3d-7b2f-4c1a-9e8d-6f5b4a3c2d1e" };

/** Netlify's read-only build variables for a deploy context. */
const buildVarsFor = {
  production: {
    NETLIFY: "true",
    CONTEXT: "production",
    HEAD: "main",
    BRANCH: "main",
    DEPLOY_PRIME_URL: "https://main--stepwise.netlify.app",
    DEPLOY_URL: "https://6757a1b2c3d4e5f6a7b8c9d0--stepwise.netlify.app",
    ...SITE,
  },
  preview: {
    NETLIFY: "true",
    CONTEXT: "deploy-preview",
    HEAD: "feature-x",
    BRANCH: "feature-x",
    REVIEW_ID: "42",
    PULL_REQUEST: "true",
    DEPLOY_PRIME_URL: PREVIEW_URL,
    DEPLOY_URL: "https://6757a1b2c3d4e5f6a7b8c9d1--stepwise.netlify.app",
    ...SITE,
  },
};

let cloud: Awaited<ReturnType<typeof startInngestCloud>>;
let services: LocalStack;
let storageDir: string;
let productionDir: string;
let previewDir: string;
let uiVars: { production: Vars; preview: Vars };
const running: DeployedFunction[] = [];
let production: DeployedFunction;
let preview: DeployedFunction;

/** The UI variables of one context (Functions and Builds scopes), as the README's deploy section lists them. */
function uiVarsFor(signingKey: string, eventKey: string): Vars {
  const { APP_URL: _appUrlComesFromTheDeploy, ...vars } = PRODUCTION_ENV;
  return {
    ...vars,
    // Supabase's Auth API, at its HTTP boundary; the other services are never called by these requests.
    SUPABASE_URL: services.env.SUPABASE_URL!,
    SUPABASE_ANON_KEY: LOCAL_DEFAULTS.SUPABASE_ANON_KEY,
    DATABASE_URL: services.env.DATABASE_URL!,
    INNGEST_BASE_URL: cloud.url,
    INNGEST_SIGNING_KEY: signingKey,
    INNGEST_EVENT_KEY: eventKey,
  };
}

async function deploy(dir: string, origin: string, env: Vars) {
  const fn = await startNetlifyFunction(dir, origin, { ...env, ...SITE });
  running.push(fn);
  return fn;
}

beforeAll(async () => {
  cloud = await startInngestCloud({ production: PRODUCTION_KEY, branch: BRANCH_KEY });
  storageDir = await mkdtemp(path.join(tmpdir(), "stepwise-production-"));
  services = await startLocalStack({
    databaseTemplate: await readTemplateDatabase(),
    storageDir,
    appUrl: SITE_URL,
    ports: { postgres: 0, supabase: 0, stripe: 0, mail: 0, openai: 0 },
  });
  uiVars = {
    production: uiVarsFor(PRODUCTION_KEY, "production-event-key"),
    preview: uiVarsFor(BRANCH_KEY, "branch-event-key"),
  };
  // One build per context, as Netlify builds each deploy; the UI variables with the Builds scope are there too.
  productionDir = await buildForNetlify("production", { ...buildVarsFor.production, ...uiVars.production });
  previewDir = await buildForNetlify("preview", { ...buildVarsFor.preview, ...uiVars.preview });
  production = await deploy(productionDir, SITE_URL, uiVars.production);
  preview = await deploy(previewDir, PREVIEW_URL, uiVars.preview);
}, 600_000);

afterAll(async () => {
  for (const fn of running) await fn.stop();
  await services?.stop();
  await cloud?.stop();
  if (storageDir) await rm(storageDir, { recursive: true, force: true });
});

const sha1 = (text: string) => createHash("sha1").update(text).digest("hex");

/** A step request replaying a signup with the first step's result memoized: "no such user, nothing to send". */
const replay = {
  ctx: { attempt: 0, run_id: "01JSIMULATEDRUN0000000000", stack: { current: 1, stack: [sha1("get-user")] } },
  event: { name: "user/signed.up", data: { userId: randomUUID(), email: "someone@example.com" } },
  events: [{ name: "user/signed.up", data: { userId: randomUUID(), email: "someone@example.com" } }],
  steps: { [sha1("get-user")]: { data: null } },
  version: 2,
};

function unsigned(fn: DeployedFunction, method: string, body?: unknown) {
  return fetch(`${fn.url}/api/inngest${method === "POST" ? "?fnId=stepwise-send-welcome-email&stepId=step" : ""}`, {
    method,
    headers: body ? { "content-type": "application/json" } : {},
    body: body ? JSON.stringify(body) : undefined,
  });
}

describe("a production deploy on Netlify", () => {
  it("refuses unsigned /api/inngest requests and tells the caller nothing", async () => {
    for (const [method, body] of [
      ["POST", replay],
      ["GET", undefined],
      ["PUT", undefined],
    ] as const) {
      const response = await unsigned(production, method, body);
      expect(response.status, method).toBe(401);
      expect(await response.text(), method).toBe('{"message":"Unauthorized"}');
      const inngestHeaders = [...response.headers.keys()].filter((name) => name.startsWith("x-inngest-"));
      expect(
        inngestHeaders.filter((name) => name !== "x-inngest-sdk-handled"),
        method,
      ).toEqual([]);
    }
    expect(cloud.registrations).toEqual([]);
  });

  it("runs a request Inngest Cloud signed with production's key, and no other", async () => {
    const url = `${production.url}/api/inngest`;
    const signed = await cloud.callFunction(url, "stepwise-send-welcome-email", replay, PRODUCTION_KEY);
    expect(signed.status).toBe(200);
    expect(await signed.json()).toEqual({ sent: [] });
    expect(signed.headers.get("x-inngest-signature")).toMatch(/^t=\d+&s=[0-9a-f]{64}$/);
    const branchSigned = await cloud.callFunction(url, "stepwise-send-welcome-email", replay, BRANCH_KEY);
    expect(branchSigned.status).toBe(401);
  });

  it("does not open the door when INNGEST_DEV is set in the Netlify UI: it refuses to serve and says why", async () => {
    const fn = await deploy(productionDir, SITE_URL, { ...uiVars.production, INNGEST_DEV: "1" });
    const forged = await unsigned(fn, "POST", replay);
    expect(forged.status).toBe(500);
    expect(await forged.text()).toBe('{"message":"Server misconfigured"}');
    const signed = await cloud.callFunction(
      `${fn.url}/api/inngest`,
      "stepwise-send-welcome-email",
      replay,
      PRODUCTION_KEY,
    );
    expect(signed.status).toBe(500);
    expect(fn.log()).toContain("INNGEST_DEV must not be set outside the local stack");
  });

  it("fails by name when a secret is missing, and never falls back to the local stack's", async () => {
    const { STRIPE_WEBHOOK_SECRET: _, ...withoutSecret } = uiVars.production;
    const fn = await deploy(productionDir, SITE_URL, withoutSecret);
    // A webhook forged with the local stack's published secret, which today's defaults would have accepted.
    const payload = JSON.stringify({
      id: "evt_forged",
      object: "event",
      type: "checkout.session.completed",
      data: { object: { id: "cs_forged", object: "checkout.session", metadata: {} } },
    });
    const forged = await fetch(`${fn.url}/api/webhooks/stripe`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "stripe-signature": Stripe.webhooks.generateTestHeaderString({
          payload,
          secret: LOCAL_DEFAULTS.STRIPE_WEBHOOK_SECRET,
        }),
      },
      body: payload,
    });
    expect(forged.status).toBe(500);
    expect(await forged.text()).not.toMatch(/STRIPE_WEBHOOK_SECRET|whsec_/);
    const page = await fetch(`${fn.url}/`);
    expect(page.status).toBe(500);
    expect(await page.text()).not.toContain("whsec_");
    expect(fn.log()).toContain("Invalid environment: STRIPE_WEBHOOK_SECRET is required; see .env.example");
  });

  it("sets session cookies with Secure (and HttpOnly) when someone signs in", async () => {
    const email = `prod-${randomUUID().slice(0, 8)}@example.com`;
    const password = "correct horse battery staple";
    const created = await fetch(`${services.env.SUPABASE_URL}/auth/v1/signup`, {
      method: "POST",
      headers: { apikey: LOCAL_DEFAULTS.SUPABASE_ANON_KEY, "content-type": "application/json" },
      body: JSON.stringify({ email, password }),
    });
    expect(created.status).toBe(200);
    const response = await fetch(`${production.url}/login`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ email, password, redirectTo: "/orders" }),
      redirect: "manual",
    });
    expect(response.status).toBe(302);
    const cookies = response.headers.getSetCookie().filter((line) => line.startsWith("sb-"));
    expect(cookies.length).toBeGreaterThan(0);
    for (const cookie of cookies) expect(cookie).toMatch(/; Secure/i);
    for (const cookie of cookies) expect(cookie).toMatch(/; HttpOnly/i);
  });

  it("serves pages with no links to local tools and with the security headers", async () => {
    for (const fn of [production, preview]) {
      const response = await fetch(`${fn.url}/`);
      expect(response.status).toBe(200);
      const html = await response.text();
      expect(html).not.toMatch(/127\.0\.0\.1|localhost|Local tools|:8288/);
      const csp = response.headers.get("content-security-policy") ?? "";
      const nonce = csp.match(/'nonce-([^']+)'/)?.[1];
      expect(nonce).toBeTruthy();
      expect(html).toContain(`nonce="${nonce}"`);
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).not.toContain("unsafe-inline");
      expect(response.headers.get("strict-transport-security")).toMatch(/^max-age=\d{8,}/);
      expect(response.headers.get("x-content-type-options")).toBe("nosniff");
      expect(response.headers.get("referrer-policy")).toBe("strict-origin-when-cross-origin");
    }
    const health = await fetch(`${production.url}/healthz`);
    expect(health.headers.get("strict-transport-security")).toMatch(/^max-age=/);
    expect(health.headers.get("content-security-policy")).toContain("frame-ancestors 'none'");
  });
});

describe("syncing each deploy into its Inngest environment", () => {
  const routes = () => ({ [SITE_URL]: production.url, [PREVIEW_URL]: preview.url });

  it("registers production's URL into production, then the preview's own URL into branch environment feature-x, leaving production as it was", async () => {
    const fromProduction = await runSyncPlugin(
      productionDir,
      { ...buildVarsFor.production, ...uiVars.production },
      routes(),
    );
    expect(fromProduction.statuses).toEqual([]);
    const functionIds = [
      "stepwise-daily-digest",
      "stepwise-process-document",
      "stepwise-process-document-failure",
      "stepwise-process-order",
      "stepwise-process-order-failure",
      "stepwise-relay-outbox",
      "stepwise-send-digest",
      "stepwise-send-welcome-email",
      "stepwise-stripe-webhook",
    ];
    const productionSync = {
      environment: "production",
      url: `${SITE_URL}/api/inngest`,
      appName: "stepwise",
      functionIds,
    };
    expect(cloud.registrations).toEqual([productionSync]);

    const fromPreview = await runSyncPlugin(previewDir, { ...buildVarsFor.preview, ...uiVars.preview }, routes());
    expect(fromPreview.statuses).toEqual([]);
    expect(fromPreview.output).toContain('into Inngest branch environment "feature-x"');
    expect(cloud.registrations).toEqual([
      productionSync,
      { environment: "feature-x", url: `${PREVIEW_URL}/api/inngest`, appName: "stepwise", functionIds },
    ]);
    expect(cloud.refused).toEqual([]);
  });
});
