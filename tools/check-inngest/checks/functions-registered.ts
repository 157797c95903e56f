import { loadedFunctionOf, functionLabel, type CheckContext } from "../check-context";
import type { Finding } from "../findings";

const CHECK = "functions-registered";

/**
 * ERROR: a function that is defined but not among the `functions` passed to serve() is never synced, so its
 * events are dropped silently. The source is followed first; the imported list decides what the source cannot see.
 */
export function functionsRegistered(context: CheckContext): Finding[] {
  const { scan, registration, loaded } = context;
  if (scan.serveCalls.length === 0) return [];
  const reached = new Set(registration.sites.map(({ site }) => site));
  const findings: Finding[] = [];
  const undecided = registration.unresolved.length > 0 || registration.opaque.length > 0;
  for (const site of scan.functions) {
    if (reached.has(site)) continue;
    if (undecided) {
      const instance = loadedFunctionOf(context, site)?.instance;
      // Only the imported list can say; without it, stay silent rather than guess.
      if (!loaded?.served || !instance || loaded.served.has(instance)) continue;
    }
    findings.push({
      severity: "ERROR",
      check: CHECK,
      file: site.file,
      line: site.line,
      message: `Function ${functionLabel(context, site)} is defined but not registered with serve(), so it never runs.`,
      fix: site.binding
        ? `Add ${site.binding} to the functions array passed to serve().`
        : "Assign it to an exported variable and add that to the functions array passed to serve().",
    });
  }
  if (undecided && !loaded?.served) {
    const unresolved = registration.unresolved[0];
    const opaque = registration.opaque[0];
    const [file, line, what] = unresolved
      ? [unresolved.file, unresolved.line, unresolved.text]
      : [opaque!.file, 1, opaque!.exportName];
    findings.push({
      severity: "INFO",
      check: CHECK,
      file,
      line,
      message: `Could not follow ${what} in serve()'s functions from the source, nor import it; functions reached only through it were not checked for registration.`,
    });
  }
  return findings;
}
