import { spawnSync } from "node:child_process";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parseEnv } from "../../app/env.server";
import { LOCAL_DEFAULTS } from "../../contracts/local-defaults";
import { PRODUCTION_ENV } from "../../harness/production-env";

const ROOT = path.resolve(import.meta.dirname, "../..");

describe("environment parsing", () => {
  it("runs the local stack with no variables set at all, when the local launcher says so", () => {
    const env = parseEnv({ STEPWISE_LOCAL_STACK: "1" }, null);
    expect(env.DATABASE_URL).toBe(LOCAL_DEFAULTS.DATABASE_URL);
    expect(env.INNGEST_DEV).toBe(LOCAL_DEFAULTS.INNGEST_DEV);
    expect(env.localStack).toBe(true);
  });

  it("names the variable and what to set when one is malformed", () => {
    expect(() => parseEnv({ STEPWISE_LOCAL_STACK: "1", STRIPE_SECRET_KEY: "pk_test_123" }, null)).toThrow(
      "Invalid environment: STRIPE_SECRET_KEY must start with sk_test_, sk_live_ or rk_",
    );
    expect(() => parseEnv({ STEPWISE_LOCAL_STACK: "1", DATABASE_URL: "mysql://x" }, null)).toThrow(
      /DATABASE_URL must be a postgres:\/\/ connection string/,
    );
  });

  it.each([
    ["a Netlify function (NODE_ENV unset)", {}],
    ["remix-serve (NODE_ENV=production)", { NODE_ENV: "production" }],
    ["a server started with NODE_ENV=development", { NODE_ENV: "development" }],
  ])("gives %s no local defaults", (_label, extra) => {
    const { STRIPE_WEBHOOK_SECRET: _, ...withoutSecret } = PRODUCTION_ENV;
    expect(() => parseEnv({ ...withoutSecret, ...extra }, null)).toThrow(
      "Invalid environment: STRIPE_WEBHOOK_SECRET is required; see .env.example",
    );
    const env = parseEnv({ ...PRODUCTION_ENV, ...extra }, null);
    expect(env.localStack).toBe(false);
    expect(env.STRIPE_API_BASE).toBeUndefined();
  });

  it("requires the Inngest keys and refuses INNGEST_DEV outside the local stack", () => {
    const { INNGEST_SIGNING_KEY: _, ...withoutKey } = PRODUCTION_ENV;
    expect(() => parseEnv(withoutKey, null)).toThrow(/INNGEST_SIGNING_KEY is required/);
    expect(() => parseEnv({ ...PRODUCTION_ENV, INNGEST_DEV: "1" }, null)).toThrow(
      /INNGEST_DEV must not be set outside the local stack/,
    );
  });

  it("refuses plain http and the local stack's published secrets outside the local stack", () => {
    expect(() => parseEnv({ ...PRODUCTION_ENV, APP_URL: "http://stepwise.example" }, null)).toThrow(
      /APP_URL must be an https:\/\/ URL/,
    );
    expect(() =>
      parseEnv({ ...PRODUCTION_ENV, STRIPE_WEBHOOK_SECRET: LOCAL_DEFAULTS.STRIPE_WEBHOOK_SECRET }, null),
    ).toThrow("Invalid environment: STRIPE_WEBHOOK_SECRET is the local stack's published value; set your own");
  });

  it("takes APP_URL from the Netlify deploy the build captured, and refuses the local switch there", () => {
    const deploy = {
      context: "deploy-preview",
      branch: "feature-x",
      url: "https://dp--s.netlify.app",
      inngestEnv: "feature-x",
    };
    const { APP_URL: _, ...withoutAppUrl } = PRODUCTION_ENV;
    expect(parseEnv(withoutAppUrl, deploy).APP_URL).toBe("https://dp--s.netlify.app");
    expect(() => parseEnv({ ...PRODUCTION_ENV, STEPWISE_LOCAL_STACK: "1" }, deploy)).toThrow(
      "Invalid environment: STEPWISE_LOCAL_STACK must not be set on a Netlify deploy (deploy-preview); remove it",
    );
  });
});

describe("npm run dev with bad configuration", () => {
  it.each([
    [
      "DATABASE_URL",
      "not-a-url",
      "DATABASE_URL must be a postgres:// connection string, e.g. postgres://user:pass@host:5432/postgres",
    ],
    ["RESEND_API_KEY", "abc", "RESEND_API_KEY must start with re_"],
  ])("stops with one line naming %s", (name, value, problem) => {
    const result = spawnSync(process.execPath, ["--import", "tsx", "local/dev.ts"], {
      cwd: ROOT,
      env: { ...process.env, [name]: value },
      encoding: "utf8",
      timeout: 30_000,
    });
    expect(result.status).toBe(1);
    expect(result.stderr.trim().split("\n")).toEqual([`Invalid environment: ${problem}`]);
  });
});
