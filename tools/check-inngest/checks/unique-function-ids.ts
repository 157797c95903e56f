import { loadedFunctionOf, type CheckContext } from "../check-context";
import type { Finding } from "../findings";
import { property } from "../project-scan";

const CHECK = "unique-function-ids";

/** CRITICAL: Inngest keys a function by its id; a missing id fails sync and a repeated one replaces the other function. */
export function uniqueFunctionIds(context: CheckContext): Finding[] {
  const findings: Finding[] = [];
  const firstUse = new Map<string, string>();
  for (const site of context.scan.functions) {
    const id = site.id ?? loadedFunctionOf(context, site)?.id ?? null;
    const at = { severity: "CRITICAL" as const, check: CHECK, file: site.file, line: site.line };
    if (id === null) {
      // An id computed at run time that could not be imported is not a finding: it may well be set.
      if (property(site.options, "id") !== undefined) continue;
      findings.push({
        ...at,
        message: "This function has no id; every Inngest function must have a unique ID.",
        fix: "Add id: 'my-function-name' to the function config.",
      });
      continue;
    }
    const first = firstUse.get(id);
    if (first)
      findings.push({
        ...at,
        message: `Function id "${id}" is already used at ${first}; the second function replaces the first when the app syncs.`,
        fix: "Give each function its own id.",
      });
    else firstUse.set(id, `${site.file}:${site.line}`);
  }
  return findings;
}
