import { concurrencyLimit, retryPolicy } from "./checks/function-options";
import { eventSchemas } from "./checks/event-schemas";
import { functionsRegistered } from "./checks/functions-registered";
import { paymentIdempotency } from "./checks/payment-idempotency";
import { serveHandlerPresent } from "./checks/serve-handler-present";
import { sleepDurationStrings } from "./checks/sleep-duration-strings";
import { stepNamesKebabCase } from "./checks/step-names-kebab-case";
import { uniqueFunctionIds } from "./checks/unique-function-ids";
import { waitForEventTimeout } from "./checks/wait-for-event-timeout";
import { SEVERITY_ORDER, type Finding } from "./findings";
import { loadFunctionConfig } from "./load-config";
import { scanProject } from "./project-scan";

/** Findings about a missing option that the loaded configuration can show is set after all. */
const OPTION_OF_CHECK: Record<string, string> = {
  "concurrency-limit": "concurrency",
  "retry-policy": "retries",
  "payment-idempotency": "idempotency",
};

/** The spec's ten checks, in its order. */
const CHECKS = [
  serveHandlerPresent,
  functionsRegistered,
  stepNamesKebabCase,
  waitForEventTimeout,
  concurrencyLimit,
  eventSchemas,
  uniqueFunctionIds,
  sleepDurationStrings,
  retryPolicy,
  paymentIdempotency,
];

export interface CheckReport {
  findings: Finding[];
  functionCount: number;
  /** False when the project has no Inngest code at all. */
  hasInngest: boolean;
}

/** The source checks, then the loaded configuration: options the source could not show can clear a finding. */
export async function checkProject(root: string): Promise<CheckReport> {
  const scan = scanProject(root);
  const hasInngest = scan.importsInngest || scan.functions.length > 0 || scan.serveCalls.length > 0;
  if (!hasInngest) return { findings: [], functionCount: 0, hasInngest };
  const loaded = await loadFunctionConfig(root);
  const loadedOptions = new Map(loaded.ok ? loaded.functions.map((fn) => [fn.id, fn.options]) : []);
  const confirmedByConfig = (finding: Finding) => {
    const option = OPTION_OF_CHECK[finding.check];
    const id = /Function "([^"]+)"|function "([^"]+)"/.exec(finding.message);
    const options = loadedOptions.get(id?.[1] ?? id?.[2] ?? "");
    return option !== undefined && options !== undefined && options[option] !== undefined;
  };
  const configNote: Finding = loaded.ok
    ? { severity: "INFO", check: "loaded-config", file: loaded.entry, line: 1, message: `Loaded ${loaded.functions.length} function(s) as the SDK would sync them: ${loaded.functions.map((f) => f.id).join(", ")}.` }
    : { severity: "INFO", check: "loaded-config", file: ".", line: 1, message: `Checked the source only: ${loaded.reason}.` };
  const findings = [...CHECKS.flatMap((check) => check(scan)).filter((finding) => !confirmedByConfig(finding)), configNote].sort(
    (a, b) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] || a.file.localeCompare(b.file) || a.line - b.line,
  );
  return { findings, functionCount: scan.functions.length, hasInngest };
}
