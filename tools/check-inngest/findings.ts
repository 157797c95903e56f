export type Severity = "CRITICAL" | "ERROR" | "WARN" | "INFO";

/** One problem at one place. `fix` says what to change; INFO findings describe the run and have no fix. */
export interface Finding {
  severity: Severity;
  check: string;
  /** Relative to the project root, with forward slashes. */
  file: string;
  line: number;
  message: string;
  fix?: string;
}

export const SEVERITY_ORDER: Record<Severity, number> = { CRITICAL: 0, ERROR: 1, WARN: 2, INFO: 3 };

/** CRITICAL and ERROR findings fail the run; warnings and notes are printed only. */
export const isBlocking = (finding: Finding) => finding.severity === "CRITICAL" || finding.severity === "ERROR";
