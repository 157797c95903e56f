import { spawnSync } from "node:child_process";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { judgeDuration } from "../../tools/check-inngest/durations";
import { checkProject } from "../../tools/check-inngest/run-checks";

const ROOT = path.resolve(import.meta.dirname, "../..");
const FIXTURES = path.join(ROOT, "tests/fixtures");
const FUNCTIONS = "app/inngest/functions.ts";

describe("check:inngest on a project that breaks every rule", async () => {
  const { findings } = await checkProject(path.join(FIXTURES, "check-inngest-broken"));
  const at = (check: string) => findings.filter((f) => f.check === check).map((f) => `${f.severity} ${f.file}:${f.line}`);

  it.each([
    ["functions-registered", ["ERROR app/inngest/functions.ts:20"]],
    ["step-names-kebab-case", ["WARN app/inngest/functions.ts:7"]],
    ["wait-for-event-timeout", ["ERROR app/inngest/functions.ts:10"]],
    ["concurrency-limit", ["WARN app/inngest/functions.ts:3"]],
    ["event-schemas", [`WARN ${FUNCTIONS}:3`, `WARN ${FUNCTIONS}:14`, `WARN ${FUNCTIONS}:20`]],
    ["unique-function-ids", ["CRITICAL app/inngest/functions.ts:14"]],
    ["sleep-duration-strings", ["WARN app/inngest/functions.ts:8", "WARN app/inngest/functions.ts:9"]],
    ["retry-policy", ["WARN app/inngest/functions.ts:3"]],
    ["payment-idempotency", ["ERROR app/inngest/functions.ts:3", "ERROR app/inngest/functions.ts:14"]],
  ])("reports %s where it is broken", (check, expected) => {
    expect(at(check)).toEqual(expected);
  });

  it("explains how to fix each finding", () => {
    const compound = findings.find((f) => f.check === "sleep-duration-strings" && f.line === 8)!;
    expect(compound.message).toContain('"1h30m" combines units');
    expect(findings.find((f) => f.check === "wait-for-event-timeout")!.message).toContain("timeout: '24h'");
  });

  it("falls back to the source when the SDK refuses to load the functions, and says why", () => {
    expect(findings.find((f) => f.check === "loaded-config")!.message).toMatch(
      /^Checked the source only: importing app\/inngest\/functions\.ts failed: "createFunction" expected a handler function/,
    );
  });

  it("reports a missing serve handler as CRITICAL", async () => {
    const { findings: empty } = await checkProject(path.join(FIXTURES, "check-inngest-broken/app/inngest"));
    expect(empty.filter((f) => f.check === "serve-handler-present").map((f) => f.severity)).toEqual(["CRITICAL"]);
  });
});

describe("check:inngest with the loaded configuration", () => {
  it("accepts options the source hides behind a spread, because the loaded function has them", async () => {
    const { findings } = await checkProject(path.join(FIXTURES, "check-inngest-spread"));
    expect(findings.map((f) => `${f.severity} ${f.check}`)).toEqual(["INFO loaded-config"]);
    expect(findings[0]!.message).toBe("Loaded 1 function(s) as the SDK would sync them: nightly-report.");
  });
});

describe("the check:inngest command", () => {
  const run = (...args: string[]) =>
    spawnSync(process.execPath, ["--import", "tsx", "tools/check-inngest/cli.ts", ...args], { cwd: ROOT, encoding: "utf8" });

  it("passes on Stepwise itself with no ERROR or CRITICAL", () => {
    const result = run(".", "--json");
    expect(result.status).toBe(0);
    const report = JSON.parse(result.stdout);
    expect(report.functionCount).toBeGreaterThanOrEqual(6);
    expect(report.findings.filter((f: { severity: string }) => f.severity === "CRITICAL" || f.severity === "ERROR")).toEqual([]);
  });

  it("exits 1 with a table when a project has errors", () => {
    const result = run("tests/fixtures/check-inngest-broken");
    expect(result.status).toBe(1);
    expect(result.stdout).toMatch(/^CRITICAL\s+unique-function-ids\s+app\/inngest\/functions\.ts:14\s+Function id "charge-card" is already used/m);
  });

  it("says clearly when there is no Inngest code, and exits 0", () => {
    const result = run("tests/fixtures/check-inngest-empty");
    expect(result.status).toBe(0);
    expect(result.stdout).toContain("No Inngest code found");
  });
});

describe("durations", () => {
  it.each([
    ["1h", "ok"],
    ["30 minutes", "ok"],
    ["1.5d", "ok"],
    ["1h30m", "compound"],
    ["2 fortnights", "unknown-unit"],
  ])("%s is %s", (text, verdict) => expect(judgeDuration(text)).toBe(verdict));
});
