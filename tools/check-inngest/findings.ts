export type Severity = "CRITICAL" | "ERROR" | "WARN" | "INFO";

export interface Finding {
  severity: Severity;
  check: string;
  file: string;
  line: number;
  message: string;
}

export const SEVERITY_ORDER: Record<Severity, number> = { CRITICAL: 0, ERROR: 1, WARN: 2, INFO: 3 };
