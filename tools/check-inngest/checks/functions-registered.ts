import type { Finding } from "../findings";
import type { ProjectScan } from "../project-scan";

/** ERROR: a function that is defined but not in the `functions` passed to serve() never runs. */
export function functionsRegistered(scan: ProjectScan): Finding[] {
  if (scan.serveCalls.length === 0) return [];
  return scan.functions
    .filter((fn) => fn.variable && !scan.registered.has(fn.variable))
    .map((fn) => ({
      severity: "ERROR" as const,
      check: "functions-registered",
      file: fn.file,
      line: fn.line,
      message: `Function "${fn.id ?? fn.variable}" (${fn.variable}) is not registered with serve(). Add it to the functions array passed to serve().`,
    }));
}
