import { isBlocking, type Finding, type Severity } from "./findings";
import type { CheckReport } from "./run-checks";

const SEVERITIES: Severity[] = ["CRITICAL", "ERROR", "WARN", "INFO"];

/** A fixed-width table, one finding per row, then one summary line. */
export function formatTable(project: string, report: CheckReport): string {
  if (!report.hasInngest) return noInngestMessage(project);
  const header = ["SEVERITY", "CHECK", "LOCATION", "MESSAGE"];
  const rows = report.findings.map((f) => [
    f.severity,
    f.check,
    `${f.file}:${f.line}`,
    f.fix ? `${f.message} Fix: ${f.fix}` : f.message,
  ]);
  const widths = [0, 1, 2].map((column) => Math.max(header[column]!.length, ...rows.map((row) => row[column]!.length)));
  const line = (row: string[]) =>
    row
      .map((cell, column) => (column < 3 ? cell.padEnd(widths[column]!) : cell))
      .join("  ")
      .trimEnd();
  const counts = SEVERITIES.map(
    (severity) => `${report.findings.filter((f) => f.severity === severity).length} ${severity}`,
  ).join(", ");
  const verdict = report.findings.some(isBlocking) ? "FAILED" : "passed";
  return [
    ...(rows.length > 0 ? [line(header), ...rows.map(line)] : []),
    `check:inngest ${verdict}: ${report.functionCount} function(s) checked; ${counts}.`,
  ].join("\n");
}

/** The whole report as JSON, with `ok` saying whether the run passed. */
export function formatJson(project: string, report: CheckReport): string {
  const ok = !report.findings.some(isBlocking);
  return JSON.stringify(
    { project, ok, ...report, ...(report.hasInngest ? {} : { message: noInngestMessage(project) }) },
    null,
    2,
  );
}

function noInngestMessage(project: string): string {
  return `No Inngest code found in ${project}: nothing imports "inngest", calls createFunction or serve(). Nothing to check.`;
}

export type { Finding };
