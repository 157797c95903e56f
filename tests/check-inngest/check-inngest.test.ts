import { spawnSync } from "node:child_process";
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { checkProject } from "../../tools/check-inngest/run-checks";

const ROOT = path.resolve(import.meta.dirname, "../..");
const FIXTURES = path.join(ROOT, "tests/fixtures");
const V3 = "app/inngest/functions.ts";
const REFUND = "app/inngest/functions/refund-order.ts";
const SHIP = "app/inngest/functions/ship-order.ts";
const ROUTE = "app/routes/api.inngest.ts";

describe("check:inngest on a project that breaks every rule", async () => {
  const { findings } = await checkProject(path.join(FIXTURES, "check-inngest-broken"));
  const at = (check: string) =>
    findings.filter((f) => f.check === check).map((f) => `${f.severity} ${f.file}:${f.line}`);

  it.each([
    ["serve-handler-present", [`CRITICAL ${ROUTE}:5`]],
    ["functions-registered", [`ERROR ${V3}:20`, `ERROR ${SHIP}:4`]],
    ["step-names-kebab-case", [`WARN ${V3}:7`]],
    ["wait-for-event-timeout", [`ERROR ${V3}:10`]],
    ["concurrency-limit", [`WARN ${V3}:3`, `WARN ${REFUND}:7`]],
    ["event-schemas", [`WARN ${V3}:3`, `WARN ${V3}:14`, `WARN ${V3}:20`, `WARN ${REFUND}:7`, `WARN ${REFUND}:11`]],
    ["unique-function-ids", [`CRITICAL ${V3}:14`]],
    ["sleep-duration-strings", [`WARN ${V3}:8`, `WARN ${V3}:9`, `WARN ${REFUND}:12`, `WARN ${SHIP}:7`]],
    // refund-order sets retries through a spread: the loaded configuration clears it.
    ["retry-policy", [`WARN ${V3}:3`]],
    ["payment-idempotency", [`ERROR ${V3}:3`, `ERROR ${V3}:14`, `ERROR ${REFUND}:7`]],
  ])("reports %s where it is broken", (check, expected) => {
    expect(at(check)).toEqual(expected);
  });

  it("says what is wrong and how to fix it", () => {
    const message = (file: string, line: number, check: string) =>
      findings.find((f) => f.file === file && f.line === line && f.check === check)!;
    expect(message(V3, 8, "sleep-duration-strings")).toMatchObject({
      message: expect.stringContaining('"1h30m" combines units'),
      fix: expect.stringContaining("'90m'"),
    });
    expect(message(REFUND, 12, "sleep-duration-strings").message).toContain(
      'step.waitForEvent timeout: "1d12h" combines units',
    );
    expect(message(SHIP, 7, "sleep-duration-strings").message).toContain(
      '"2 fortnights" is not a duration Inngest parses',
    );
    expect(message(V3, 10, "wait-for-event-timeout").fix).toContain("timeout: '24h'");
    expect(message(V3, 14, "unique-function-ids").message).toContain(
      `Function id "charge-card" is already used at ${V3}:3`,
    );
    expect(message(REFUND, 7, "payment-idempotency").message).toContain("without an idempotencyKey at line 10");
    expect(message(REFUND, 11, "event-schemas")).toMatchObject({
      message: expect.stringContaining("bypasses refundIssued's schema"),
      fix: "Send refundIssued.create(data) so the payload is validated before it leaves.",
    });
    expect(message(SHIP, 4, "functions-registered").fix).toBe(
      "Add shipOrder to the functions array passed to serve().",
    );
  });

  it("imports what the SDK can load, with the project's aliases and .env.example, and says what it could not", () => {
    const notes = findings.filter((f) => f.check === "loaded-config");
    expect(notes.map((f) => f.message)).toEqual([
      "Read the configuration the SDK syncs for 2 function(s): broken-app-refund-order, broken-app-ship-order.",
      expect.stringMatching(
        /^Could not import this module \("createFunction" expected a handler function.*the source only\.$/,
      ),
    ]);
    expect(notes[1]!.file).toBe(V3);
  });

  it("reports a project whose functions no route serves as CRITICAL", async () => {
    const { findings: served } = await checkProject(path.join(FIXTURES, "check-inngest-broken/app/inngest"), {
      importConfig: false,
    });
    expect(
      served.filter((f) => f.check === "serve-handler-present").map((f) => `${f.severity} ${f.file}:${f.line}`),
    ).toEqual([`CRITICAL ${ROUTE}:1`]);
  });
});

describe("check:inngest with the loaded configuration", () => {
  it("accepts options the source hides behind a spread, because the loaded function has them", async () => {
    const { findings } = await checkProject(path.join(FIXTURES, "check-inngest-spread"));
    expect(findings.map((f) => `${f.severity} ${f.check}`)).toEqual(["INFO loaded-config"]);
    expect(findings[0]!.message).toBe(
      "Read the configuration the SDK syncs for 1 function(s): spread-app-nightly-report.",
    );
  });

  it("without importing, judges the same project from the source alone", async () => {
    const { findings } = await checkProject(path.join(FIXTURES, "check-inngest-spread"), { importConfig: false });
    expect(findings.map((f) => `${f.severity} ${f.check}`)).toEqual([
      "WARN concurrency-limit",
      "WARN retry-policy",
      "INFO loaded-config",
    ]);
  });
});

describe("check:inngest on small projects written for the occasion", () => {
  const made: string[] = [];
  afterAll(() => made.forEach((dir) => rmSync(dir, { recursive: true, force: true })));
  const project = (files: Record<string, string>) => {
    const dir = mkdtempSync(path.join(tmpdir(), "check-inngest-"));
    made.push(dir);
    for (const [file, text] of Object.entries(files)) {
      mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
      writeFileSync(path.join(dir, file), text);
    }
    return dir;
  };
  const ROUTE_SOURCE = `import { serve } from "inngest/remix";\nimport { inngest, functions } from "../inngest";\nconst handler = serve({ client: inngest, functions });\nexport { handler as action, handler as loader };\n`;

  it("treats v3 client schemas as typed events, and follows a functions list built from a spread", async () => {
    const dir = project({
      "app/inngest.ts": [
        `import { EventSchemas, Inngest } from "inngest";`,
        `type Events = { "payment/settled": { data: { orderId: string } } };`,
        `export const inngest = new Inngest({ id: "v3-app", schemas: new EventSchemas().fromRecord<Events>() });`,
        `const settle = inngest.createFunction({ id: "settle-payment", retries: 2, concurrency: 3, idempotency: "event.data.orderId" }, { event: "payment/settled" }, async ({ step }) => {`,
        `  await step.sleep("cool-off", "90 minutes");`,
        `  await step.waitForEvent("await-receipt", { event: "payment/receipt", timeout: "7d" });`,
        `});`,
        `const core = [settle];`,
        `export const functions = [...core];`,
      ].join("\n"),
      "app/routes/api.inngest.ts": ROUTE_SOURCE,
    });
    const { findings } = await checkProject(dir, { importConfig: false });
    expect(findings.filter((f) => f.severity !== "INFO")).toEqual([]);
  });

  it("passes a payment function whose every Stripe write has an idempotencyKey, and fails one that misses one", async () => {
    const fn = (id: string, secondKey: string) =>
      `export const ${id.replace(/-/g, "")} = inngest.createFunction({ id: "${id}", retries: 1, concurrency: 1, triggers: [] }, async ({ event, step }) => {\n` +
      `  await step.run("create-intent", () => stripe.paymentIntents.create({ amount: 1 }, { idempotencyKey: event.id }));\n` +
      `  await step.run("capture-intent", () => stripe.paymentIntents.capture("pi_1", {}, ${secondKey}));\n});\n`;
    const dir = project({
      "app/inngest.ts": `import { Inngest } from "inngest";\nexport const inngest = new Inngest({ id: "pay" });\ndeclare const stripe: any;\n${fn("keyed", "{ idempotencyKey: event.id }")}${fn("unkeyed", "undefined")}export const functions = [keyed, unkeyed];\n`,
      "app/routes/api.inngest.ts": ROUTE_SOURCE,
    });
    const { findings } = await checkProject(dir, { importConfig: false });
    expect(
      findings
        .filter((f) => f.check === "payment-idempotency")
        .map((f) => `${f.severity} ${f.file}:${f.line} ${f.message}`),
    ).toEqual([
      'ERROR app/inngest.ts:8 Payment-related function "unkeyed" has no idempotency key, so a repeated event can charge twice. It calls Stripe without an idempotencyKey at line 10.',
    ]);
  });
});

describe("the check:inngest command", () => {
  const run = (...args: string[]) =>
    spawnSync(process.execPath, ["--import", "tsx", "tools/check-inngest/cli.ts", ...args], {
      cwd: ROOT,
      encoding: "utf8",
    });

  it("passes on Stepwise itself with no ERROR or CRITICAL, having imported every function", () => {
    const result = run(".", "--json");
    expect(result.status).toBe(0);
    const report = JSON.parse(result.stdout);
    expect(report.ok).toBe(true);
    expect(report.functionCount).toBeGreaterThanOrEqual(6);
    expect(report.importedFunctions).toHaveLength(report.functionCount);
    expect(
      report.findings.filter((f: { severity: string }) => f.severity === "CRITICAL" || f.severity === "ERROR"),
    ).toEqual([]);
  });

  it("exits 1 with a table when a project has errors", () => {
    const result = run("tests/fixtures/check-inngest-broken");
    expect(result.status).toBe(1);
    expect(result.stdout).toMatch(/^SEVERITY\s+CHECK\s+LOCATION\s+MESSAGE$/m);
    expect(result.stdout).toMatch(
      /^CRITICAL\s+unique-function-ids\s+app\/inngest\/functions\.ts:14\s+Function id "charge-card" is already used .* Fix: Give each function its own id\.$/m,
    );
    expect(result.stdout).toMatch(
      /^check:inngest FAILED: 5 function\(s\) checked; 2 CRITICAL, 6 ERROR, 13 WARN, 2 INFO\.$/m,
    );
  });

  it("exits 0 when only warnings are found, and prints them", () => {
    const result = run("tests/fixtures/check-inngest-spread", "--source-only");
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^WARN\s+concurrency-limit\s+app\/inngest\/index\.ts:8/m);
  });

  it("says clearly when there is no Inngest code, and exits 0", () => {
    const result = run("tests/fixtures/check-inngest-empty");
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^No Inngest code found in .*check-inngest-empty: nothing imports "inngest"/);
    expect(JSON.parse(run("tests/fixtures/check-inngest-empty", "--json").stdout)).toMatchObject({
      ok: true,
      hasInngest: false,
      findings: [],
    });
  });

  it("rejects a directory that does not exist with usage, not a stack trace", () => {
    const result = run("tests/fixtures/no-such-project");
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/is not a directory\. Usage: npm run check:inngest -- \[projectDir\] \[--json\]/);
  });
});
