import type { CheckContext } from "../check-context";
import { explainDuration } from "../durations";
import type { Finding } from "../findings";

/**
 * WARN: durations are strings the SDK parses with one number and one unit. Numbers are milliseconds and easy to
 * misread; compound strings ("1h30m") and unknown units parse to nothing, and the step then does not wait at all.
 */
export function sleepDurationStrings({ scan }: CheckContext): Finding[] {
  const findings: Finding[] = [];
  for (const duration of scan.durations) {
    const at = { severity: "WARN" as const, check: "sleep-duration-strings", file: duration.file, line: duration.line };
    if (typeof duration.value === "number") {
      findings.push({
        ...at,
        message: `${duration.usage} is given ${duration.value} milliseconds as a number.`,
        fix: "Use a duration string like '1h' or '30m', e.g. step.sleep('wait', '1h').",
      });
      continue;
    }
    const explained = explainDuration(duration.value);
    if (explained) findings.push({ ...at, message: `${duration.usage}: ${explained.problem}`, fix: explained.fix });
  }
  return findings;
}
