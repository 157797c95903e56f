import ts from "typescript";
import type { Finding } from "../findings";
import { property, type ProjectScan } from "../project-scan";

/** ERROR: a waitForEvent without a timeout can wait forever. */
export function waitForEventTimeout(scan: ProjectScan): Finding[] {
  return scan.steps
    .filter((step) => step.method === "waitForEvent")
    .filter((step) => {
      const options = step.args[1];
      return !options || !ts.isObjectLiteralExpression(options) || property(options, "timeout") === undefined;
    })
    .map((step) => ({
      severity: "ERROR" as const,
      check: "wait-for-event-timeout",
      file: step.file,
      line: step.line,
      message: "waitForEvent should have a timeout to prevent infinite waits. Add the timeout option, e.g. { event: '...', timeout: '24h' }.",
    }));
}
