import { describe, expect, it } from "vitest";
import { inngestSyncUrl, syncInngestApp } from "../../netlify/plugins/inngest-sync/sync-inngest-app.js";

describe("the Inngest sync build plugin", () => {
  it("syncs a deploy preview at its own URL, not the production one", () => {
    const env = {
      CONTEXT: "deploy-preview",
      URL: "https://stepwise.netlify.app",
      DEPLOY_PRIME_URL: "https://deploy-preview-42--stepwise.netlify.app",
    };
    expect(inngestSyncUrl(env)).toBe("https://deploy-preview-42--stepwise.netlify.app/api/inngest");
  });

  it("syncs production at the site's main URL", () => {
    const env = {
      CONTEXT: "production",
      URL: "https://stepwise.app",
      DEPLOY_PRIME_URL: "https://main--stepwise.netlify.app",
    };
    expect(inngestSyncUrl(env)).toBe("https://stepwise.app/api/inngest");
  });

  it("PUTs the serve handler and reports a failure without throwing", async () => {
    const calls: Array<{ url: string; method?: string }> = [];
    const fetchImpl = (async (url: string, init?: RequestInit) => {
      calls.push({ url, method: init?.method });
      return new Response('{"message":"Unauthorized"}', { status: 401 });
    }) as unknown as typeof fetch;
    const result = await syncInngestApp({
      env: { CONTEXT: "branch-deploy", DEPLOY_PRIME_URL: "https://b--s.netlify.app" },
      fetchImpl,
    });
    expect(calls).toEqual([{ url: "https://b--s.netlify.app/api/inngest", method: "PUT" }]);
    expect(result).toEqual({ ok: false, message: expect.stringContaining("answered 401") });
  });
});
