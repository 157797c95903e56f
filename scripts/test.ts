import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";

// `npm test`: every check the project has, in order of cost, stopping at the first failure. It ends with
// one "N passed, N failed" line adding up the vitest and Playwright results.

const ROOT = path.resolve(import.meta.dirname, "..");
const REPORTS = path.join(ROOT, "tests/.tmp/reports");
const VITEST_REPORT = path.join(REPORTS, "vitest.json");
// playwright.config.ts writes its JSON report here.
const PLAYWRIGHT_REPORT = path.join(REPORTS, "playwright.json");

const STAGES: Array<{ name: string; command: string[] }> = [
  { name: "typecheck", command: ["npx", "tsc", "--noEmit"] },
  { name: "format", command: ["npx", "prettier", "--check", "."] },
  { name: "lint", command: ["npx", "eslint", "."] },
  { name: "inngest checks", command: ["npx", "tsx", "tools/check-inngest/cli.ts", "."] },
  { name: "build", command: ["npx", "remix", "vite:build"] },
  {
    name: "unit, integration and contract tests",
    command: ["npx", "vitest", "run", "--reporter=default", "--reporter=json", `--outputFile.json=${VITEST_REPORT}`],
  },
  { name: "browser tests", command: ["npx", "playwright", "test"] },
];

rmSync(REPORTS, { recursive: true, force: true });
const startedAt = Date.now();
let failedStage: string | undefined;
for (const stage of STAGES) {
  console.log(`\n▶ ${stage.name}: ${stage.command.join(" ")}`);
  const stageStart = Date.now();
  const result = spawnSync(stage.command[0]!, stage.command.slice(1), {
    cwd: ROOT,
    stdio: "inherit",
  });
  console.log(
    `◀ ${stage.name}: ${result.status === 0 ? "ok" : "FAILED"} in ${((Date.now() - stageStart) / 1000).toFixed(1)} s`,
  );
  if (result.status !== 0) {
    failedStage = stage.name;
    break;
  }
}

const counts = [readVitestCounts(), readPlaywrightCounts()].reduce(
  (sum, c) => ({ passed: sum.passed + c.passed, failed: sum.failed + c.failed, skipped: sum.skipped + c.skipped }),
  { passed: 0, failed: 0, skipped: 0 },
);
console.log(
  `\nnpm test took ${((Date.now() - startedAt) / 1000).toFixed(0)} s${failedStage ? `; stopped at: ${failedStage}` : ""}`,
);
const failed = counts.failed + (failedStage && counts.failed === 0 ? 1 : 0);
console.log(`${counts.passed} passed, ${failed} failed${counts.skipped ? `, ${counts.skipped} skipped` : ""}`);
process.exit(failedStage ? 1 : 0);

function readJson(file: string): unknown {
  return existsSync(file) ? JSON.parse(readFileSync(file, "utf8")) : undefined;
}

function readVitestCounts() {
  const report = readJson(VITEST_REPORT) as
    { numPassedTests: number; numFailedTests: number; numPendingTests: number; numTodoTests: number } | undefined;
  if (!report) return { passed: 0, failed: 0, skipped: 0 };
  return {
    passed: report.numPassedTests,
    failed: report.numFailedTests,
    skipped: report.numPendingTests + report.numTodoTests,
  };
}

function readPlaywrightCounts() {
  const report = readJson(PLAYWRIGHT_REPORT) as
    { stats: { expected: number; unexpected: number; flaky: number; skipped: number } } | undefined;
  if (!report) return { passed: 0, failed: 0, skipped: 0 };
  return {
    passed: report.stats.expected + report.stats.flaky,
    failed: report.stats.unexpected,
    skipped: report.stats.skipped,
  };
}
