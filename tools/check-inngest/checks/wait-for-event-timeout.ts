import ts from "typescript";
import type { CheckContext } from "../check-context";
import type { Finding } from "../findings";
import { property, unwrap } from "../project-scan";

/** ERROR: a waitForEvent without a timeout waits forever if the event never comes, holding the run open. */
export function waitForEventTimeout({ scan }: CheckContext): Finding[] {
  return scan.steps
    .filter((step) => step.method === "waitForEvent")
    .filter((step) => {
      const options = step.args[1] && unwrap(step.args[1]);
      // Options held in a variable cannot be read here; only a literal without `timeout` is a sure finding.
      return !options || (ts.isObjectLiteralExpression(options) && property(options, "timeout") === undefined);
    })
    .map((step) => ({
      severity: "ERROR" as const,
      check: "wait-for-event-timeout",
      file: step.file,
      line: step.line,
      message: "step.waitForEvent has no timeout, so the run can wait forever.",
      fix: "Add the timeout option, e.g. { event: '...', timeout: '24h' }, and handle the null it returns on timeout.",
    }));
}
