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
import { scanProject } from "./project-scan";

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
  /** Null when the project has no Inngest code at all. */
  hasInngest: boolean;
}

export function checkProject(root: string): CheckReport {
  const scan = scanProject(root);
  const hasInngest = scan.importsInngest || scan.functions.length > 0 || scan.serveCalls.length > 0;
  if (!hasInngest) return { findings: [], functionCount: 0, hasInngest };
  const findings = CHECKS.flatMap((check) => check(scan)).sort(
    (a, b) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] || a.file.localeCompare(b.file) || a.line - b.line,
  );
  return { findings, functionCount: scan.functions.length, hasInngest };
}
