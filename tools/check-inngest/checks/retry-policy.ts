import { functionLabel, hasOption, type CheckContext } from "../check-context";
import type { Finding } from "../findings";

/** WARN: the default retry count is implicit; writing it down shows the steps were designed to be retried. */
export function retryPolicy(context: CheckContext): Finding[] {
  return context.scan.functions
    .filter((site) => !hasOption(context, site, "retries"))
    .map((site) => ({
      severity: "WARN" as const,
      check: "retry-policy",
      file: site.file,
      line: site.line,
      message: `Function ${functionLabel(context, site)} does not configure retries.`,
      fix: "Add retries: 3 (or the count that suits the work) to the function config.",
    }));
}
