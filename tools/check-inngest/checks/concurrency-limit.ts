import { functionLabel, hasOption, type CheckContext } from "../check-context";
import type { Finding } from "../findings";

/** WARN: without a concurrency limit a burst of events runs every function at once against downstream services. */
export function concurrencyLimit(context: CheckContext): Finding[] {
  return context.scan.functions
    .filter((site) => !hasOption(context, site, "concurrency"))
    .map((site) => ({
      severity: "WARN" as const,
      check: "concurrency-limit",
      file: site.file,
      line: site.line,
      message: `Function ${functionLabel(context, site)} has no concurrency limit; a burst of events can overwhelm the services it calls.`,
      fix: "Add concurrency: { limit: 10 } (or a key per user/tenant) to the function config.",
    }));
}
