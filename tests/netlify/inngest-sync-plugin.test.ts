import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { inngestSyncUrl, syncInngestApp } from "../../netlify/plugins/inngest-sync/sync-inngest-app.js";

const SIGNING_KEY = "signkey-branch-0123456789abcdef0123456789abcdef";

describe("the Inngest sync build plugin", () => {
  it.each([
    {
      name: "a deploy preview at its own URL, not the production one",
      context: "deploy-preview",
      URL: "https://stepwise.netlify.app",
      DEPLOY_PRIME_URL: "https://deploy-preview-42--stepwise.netlify.app",
      syncUrl: "https://deploy-preview-42--stepwise.netlify.app/api/inngest",
    },
    {
      name: "production at the site's main URL",
      context: "production",
      URL: "https://stepwise.app",
      DEPLOY_PRIME_URL: "https://main--stepwise.netlify.app",
      syncUrl: "https://stepwise.app/api/inngest",
    },
  ])("syncs $name", ({ context, URL, DEPLOY_PRIME_URL, syncUrl }) => {
    expect(inngestSyncUrl({ NETLIFY: "true", CONTEXT: context, URL, DEPLOY_PRIME_URL })).toBe(syncUrl);
  });

  it("signs the PUT with the context's signing key, as Inngest signs its own requests", async () => {
    const calls: Array<{ url: string; method?: string; signature: string | null }> = [];
    const fetchImpl = (async (url: string, init?: RequestInit) => {
      calls.push({ url, method: init?.method, signature: new Headers(init?.headers).get("x-inngest-signature") });
      return Response.json({ message: "Successfully registered", modified: true });
    }) as unknown as typeof fetch;
    const now = 1_800_000_000_000;
    const result = await syncInngestApp({
      env: {
        NETLIFY: "true",
        CONTEXT: "branch-deploy",
        HEAD: "feature-x",
        DEPLOY_PRIME_URL: "https://feature-x--s.netlify.app",
        INNGEST_SIGNING_KEY: SIGNING_KEY,
      },
      fetchImpl,
      now: () => now,
    });
    const mac = createHmac("sha256", SIGNING_KEY.replace("signkey-branch-", ""))
      .update(`${now / 1000}`)
      .digest("hex");
    expect(calls).toEqual([
      { url: "https://feature-x--s.netlify.app/api/inngest", method: "PUT", signature: `t=${now / 1000}&s=${mac}` },
    ]);
    expect(result).toEqual({ ok: true, message: expect.stringContaining('branch environment "feature-x"') });
  });

  it("reports a refused sync without throwing", async () => {
    const fetchImpl = (async () =>
      new Response('{"message":"Unauthorized"}', { status: 401 })) as unknown as typeof fetch;
    const result = await syncInngestApp({
      env: { NETLIFY: "true", CONTEXT: "production", URL: "https://s.app", INNGEST_SIGNING_KEY: SIGNING_KEY },
      fetchImpl,
    });
    expect(result).toEqual({ ok: false, message: expect.stringContaining("answered 401") });
  });

  it("says which variable the build lacks instead of sending an unsigned sync", async () => {
    let called = false;
    const fetchImpl = (async () => {
      called = true;
      return new Response("{}");
    }) as unknown as typeof fetch;
    const result = await syncInngestApp({
      env: { NETLIFY: "true", CONTEXT: "production", URL: "https://s.app" },
      fetchImpl,
    });
    expect(called).toBe(false);
    expect(result).toEqual({ ok: false, message: expect.stringContaining("INNGEST_SIGNING_KEY is not in the build") });
  });
});
