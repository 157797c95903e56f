import type { Finding, Severity } from "../findings";
import { property, type FunctionSite, type ProjectScan } from "../project-scan";

/** A check that a createFunction's options name a setting. */
function requireOption(scan: ProjectScan, option: string, severity: Severity, check: string, message: (fn: FunctionSite) => string): Finding[] {
  return scan.functions
    .filter((fn) => property(fn.options, option) === undefined)
    .map((fn) => ({ severity, check, file: fn.file, line: fn.line, message: message(fn) }));
}

/** WARN: without a concurrency limit a burst of events can overwhelm downstream services. */
export function concurrencyLimit(scan: ProjectScan): Finding[] {
  return requireOption(scan, "concurrency", "WARN", "concurrency-limit", (fn) =>
    `Function "${fn.id ?? fn.variable}" has no concurrency limit. Consider adding concurrency: { limit: 10 } to protect downstream services.`);
}

/** WARN: an explicit retry policy documents how failures are handled. */
export function retryPolicy(scan: ProjectScan): Finding[] {
  return requireOption(scan, "retries", "WARN", "retry-policy", (fn) =>
    `Function "${fn.id ?? fn.variable}" does not configure retries. Add retries: 3 (or the number that suits the work).`);
}
