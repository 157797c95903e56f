import { existsSync, statSync } from "node:fs";
import path from "node:path";
import { checkProject } from "./run-checks";

// `npm run check:inngest -- [projectDir] [--json]`: exit 1 on any CRITICAL or ERROR finding, 0 otherwise.

const args = process.argv.slice(2);
const json = args.includes("--json");
const dir = path.resolve(args.find((arg) => !arg.startsWith("--")) ?? ".");

if (!existsSync(dir) || !statSync(dir).isDirectory()) {
  console.error(`check:inngest: ${dir} is not a directory. Usage: npm run check:inngest -- [projectDir] [--json]`);
  process.exit(2);
}

const report = await checkProject(dir);
const blocking = report.findings.filter((f) => f.severity === "CRITICAL" || f.severity === "ERROR");

if (json) {
  console.log(JSON.stringify({ project: dir, ...report, ok: blocking.length === 0 }, null, 2));
} else if (!report.hasInngest) {
  console.log(`No Inngest code found under ${dir} (no import from "inngest", no createFunction, no serve()). Nothing to check.`);
} else {
  const rows = report.findings.map((f) => [f.severity, f.check, `${f.file}:${f.line}`, f.message]);
  const widths = [8, 24, Math.max(10, ...rows.map((r) => r[2]!.length))];
  for (const row of rows) console.log(`${row[0]!.padEnd(widths[0]!)}  ${row[1]!.padEnd(widths[1]!)}  ${row[2]!.padEnd(widths[2]!)}  ${row[3]}`);
  const counts = ["CRITICAL", "ERROR", "WARN", "INFO"].map((s) => `${report.findings.filter((f) => f.severity === s).length} ${s}`).join(", ");
  console.log(`check:inngest: ${report.functionCount} function(s) checked; ${counts}.`);
}
process.exit(blocking.length > 0 ? 1 : 0);
