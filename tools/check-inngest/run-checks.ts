import type { CheckContext } from "./check-context";
import { concurrencyLimit } from "./checks/concurrency-limit";
import { eventSchemas } from "./checks/event-schemas";
import { functionsRegistered } from "./checks/functions-registered";
import { paymentIdempotency } from "./checks/payment-idempotency";
import { retryPolicy } from "./checks/retry-policy";
import { serveHandlerPresent } from "./checks/serve-handler-present";
import { sleepDurationStrings } from "./checks/sleep-duration-strings";
import { stepNamesKebabCase } from "./checks/step-names-kebab-case";
import { uniqueFunctionIds } from "./checks/unique-function-ids";
import { waitForEventTimeout } from "./checks/wait-for-event-timeout";
import { SEVERITY_ORDER, type Finding } from "./findings";
import { loadProject, type LoadedProject } from "./load-config";
import { createModuleResolver } from "./module-resolution";
import { scanProject } from "./project-scan";
import { registrationOf } from "./registration";

/** The spec's ten checks, in its order. */
const CHECKS: Array<(context: CheckContext) => Finding[]> = [
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
  /** False when the project has no Inngest code at all; there are then no findings. */
  hasInngest: boolean;
  functionCount: number;
  /** Ids of the functions whose synced configuration was read by importing them. */
  importedFunctions: string[];
  findings: Finding[];
}

export interface CheckOptions {
  /** Import the project's modules to read the configuration the SDK syncs (runs the project's module code). */
  importConfig?: boolean;
}

/** Scans the source, imports what it can, runs every check and sorts the findings most severe first. */
export async function checkProject(root: string, { importConfig = true }: CheckOptions = {}): Promise<CheckReport> {
  const scan = scanProject(root);
  const hasInngest = scan.importsInngest || scan.functions.length > 0 || scan.serveCalls.length > 0;
  if (!hasInngest) return { hasInngest, functionCount: 0, importedFunctions: [], findings: [] };
  const resolver = createModuleResolver(root);
  const loaded = importConfig && scan.functions.length > 0 ? await loadProject(scan, resolver) : null;
  const context: CheckContext = { scan, registration: registrationOf(scan, resolver), loaded };
  const findings = [...CHECKS.flatMap((check) => check(context)), ...loadNotes(loaded, importConfig)].sort(
    (a, b) =>
      SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] ||
      a.file.localeCompare(b.file) ||
      a.line - b.line ||
      a.check.localeCompare(b.check),
  );
  return {
    hasInngest,
    functionCount: scan.functions.length,
    importedFunctions: loaded?.functions.map((fn) => fn.id) ?? [],
    findings,
  };
}

/** INFO lines saying what was imported, and for what the source alone had to do. */
function loadNotes(loaded: LoadedProject | null, importConfig: boolean): Finding[] {
  if (!importConfig)
    return [
      {
        severity: "INFO",
        check: "loaded-config",
        file: ".",
        line: 1,
        message: "Checked the source only (--source-only): nothing was imported.",
      },
    ];
  if (!loaded) return [];
  const notes: Finding[] = loaded.failures.map((failure) => ({
    severity: "INFO" as const,
    check: "loaded-config",
    file: failure.file,
    line: 1,
    message: `Could not import this module (${failure.reason}); its functions were checked from the source only.`,
  }));
  if (loaded.functions.length > 0) {
    notes.push({
      severity: "INFO",
      check: "loaded-config",
      file: ".",
      line: 1,
      message: `Read the configuration the SDK syncs for ${loaded.functions.length} function(s): ${loaded.functions.map((fn) => fn.config.id).join(", ")}.`,
    });
  }
  return notes;
}
