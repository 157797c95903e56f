import type { Finding } from "../findings";
import type { ProjectScan } from "../project-scan";

/** CRITICAL: every function needs an id, and ids must be unique within the app. */
export function uniqueFunctionIds(scan: ProjectScan): Finding[] {
  const findings: Finding[] = [];
  const seen = new Map<string, string>();
  for (const fn of scan.functions) {
    if (!fn.id) {
      findings.push({ severity: "CRITICAL", check: "unique-function-ids", file: fn.file, line: fn.line, message: "Every Inngest function must have a unique ID. Add id: 'my-function-name' to the function config." });
      continue;
    }
    const first = seen.get(fn.id);
    if (first) findings.push({ severity: "CRITICAL", check: "unique-function-ids", file: fn.file, line: fn.line, message: `Function id "${fn.id}" is already used at ${first}. Give each function its own id.` });
    else seen.set(fn.id, `${fn.file}:${fn.line}`);
  }
  return findings;
}
