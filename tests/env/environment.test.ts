import { spawnSync } from "node:child_process";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parseEnv } from "../../app/env.server";
import { LOCAL_DEFAULTS } from "../../contracts/local-defaults";

const ROOT = path.resolve(import.meta.dirname, "../..");

describe("environment parsing", () => {
  it("runs the local stack with no variables set at all", () => {
    const env = parseEnv({ NODE_ENV: "development" });
    expect(env.DATABASE_URL).toBe(LOCAL_DEFAULTS.DATABASE_URL);
    expect(env.INNGEST_DEV).toBe(LOCAL_DEFAULTS.INNGEST_DEV);
  });

  it("names the variable and what to set when one is malformed", () => {
    expect(() => parseEnv({ NODE_ENV: "development", STRIPE_SECRET_KEY: "pk_test_123" })).toThrow(
      "Invalid environment: STRIPE_SECRET_KEY must start with sk_test_, sk_live_ or rk_",
    );
    expect(() => parseEnv({ NODE_ENV: "development", DATABASE_URL: "mysql://x" })).toThrow(
      /DATABASE_URL must be a postgres:\/\/ connection string/,
    );
  });

  it("uses no local defaults in production and requires the Inngest keys there", () => {
    expect(() => parseEnv({ NODE_ENV: "production" })).toThrow(/DATABASE_URL is required; see \.env\.example/);
    const production = { ...LOCAL_DEFAULTS, NODE_ENV: "production" as const, INNGEST_DEV: "" };
    expect(() => parseEnv(production)).toThrow(/INNGEST_SIGNING_KEY is required in production/);
    expect(() =>
      parseEnv({ ...production, INNGEST_DEV: "1", INNGEST_SIGNING_KEY: "signkey-prod-abc", INNGEST_EVENT_KEY: "k" }),
    ).toThrow(/INNGEST_DEV must not be set in production/);
    expect(parseEnv({ ...production, INNGEST_SIGNING_KEY: "signkey-prod-abc", INNGEST_EVENT_KEY: "k" }).NODE_ENV).toBe(
      "production",
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
