// What Inngest's SDK accepts as a duration string: one number and one unit, as the `ms` package parses it.
// "1h30m" or "2 fortnights" parse to nothing, and the SDK then sleeps for zero time. Plain JavaScript so the
// ESLint rule and the check:inngest tool share it.
const SINGLE_UNIT = /^-?\d*\.?\d+\s?(ms|msecs?|milliseconds?|s|secs?|seconds?|m|mins?|minutes?|h|hrs?|hours?|d|days?|w|weeks?|y|yrs?|years?)$/i;

/**
 * @param {string} text
 * @returns {"ok" | "compound" | "unknown-unit"}
 */
export function judgeDuration(text) {
  const value = text.trim();
  if (SINGLE_UNIT.test(value)) return "ok";
  if (/^(\d+\s?[a-z]+){2,}$/i.test(value)) return "compound";
  return "unknown-unit";
}
