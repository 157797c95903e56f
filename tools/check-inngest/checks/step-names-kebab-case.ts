import type { Finding } from "../findings";
import { stringValue, type ProjectScan } from "../project-scan";

const KEBAB = /^[a-z0-9]+(-[a-z0-9]+)*$/;

/** WARN: step ids are shown in dashboards and memoised by name; descriptive kebab-case keeps them readable. */
export function stepNamesKebabCase(scan: ProjectScan): Finding[] {
  const findings: Finding[] = [];
  for (const step of scan.steps) {
    const id = stringValue(step.args[0]);
    if (id === null) {
      findings.push({ severity: "WARN", check: "step-names-kebab-case", file: step.file, line: step.line, message: `step.${step.method} has no literal id; use a descriptive kebab-case string like 'fetch-user'.` });
    } else if (!KEBAB.test(id) || id.length < 3) {
      findings.push({ severity: "WARN", check: "step-names-kebab-case", file: step.file, line: step.line, message: `Step id "${id}" should be kebab-case and descriptive, like 'fetch-user' or 'send-email'.` });
    }
  }
  return findings;
}
