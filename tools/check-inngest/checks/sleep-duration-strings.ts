import ts from "typescript";
import { judgeDuration } from "../durations";
import type { Finding } from "../findings";
import { stringValue, type ProjectScan } from "../project-scan";

/** WARN: sleeps take one duration string; numbers, compound strings and unknown units misbehave. */
export function sleepDurationStrings(scan: ProjectScan): Finding[] {
  const findings: Finding[] = [];
  for (const step of scan.steps.filter((s) => s.method === "sleep")) {
    const duration = step.args[1];
    const at = { check: "sleep-duration-strings", file: step.file, line: step.line };
    if (duration && ts.isNumericLiteral(duration)) {
      findings.push({ severity: "WARN", ...at, message: `step.sleep should use a duration string like '1h' or '30m', not milliseconds (${duration.text}).` });
      continue;
    }
    const text = stringValue(duration);
    if (text === null) continue;
    const verdict = judgeDuration(text);
    if (verdict === "compound") findings.push({ severity: "WARN", ...at, message: `"${text}" combines units; Inngest reads one unit per string and would not sleep at all. Use a single unit, e.g. '90m'.` });
    if (verdict === "unknown-unit") findings.push({ severity: "WARN", ...at, message: `"${text}" is not a duration Inngest understands; use a number and one unit, e.g. '30s', '10m', '24h', '7d'.` });
  }
  return findings;
}
