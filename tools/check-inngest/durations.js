import ms from "ms";

// How Inngest's SDK (v3 and v4) reads a duration string for step.sleep, waitForEvent/invoke/waitForSignal
// timeouts and cancelOn timeouts: `timeStr` passes it to the `ms` package, which accepts exactly one number and
// at most one unit. Anything else parses to `undefined`, which timeStr turns into an empty duration: the step does
// not wait at all, and nothing fails. The verdicts come from `ms` itself (the version the SDK depends on).
// Plain JavaScript (with JSDoc types) so the ESLint rule can share it.

/** Number-and-word pieces of a string, e.g. "1h", "30m" in "1h30m" or "2 hours", "30 minutes" in "2 hours 30 minutes". */
const PIECE = /-?\d*\.?\d+ *[a-z]+/gi;

/**
 * What the SDK's `ms` makes of the string: milliseconds, or undefined when it does not parse (ms throws on "").
 * @param {string} text
 * @returns {number | undefined}
 */
function parseLikeTheSdk(text) {
  return text === "" ? undefined : ms(text);
}

/** Whether the string is only two or more pieces that `ms` would each accept on their own. */
/** @param {string} text */
function isCompound(text) {
  const pieces = text.match(PIECE) ?? [];
  const rest = text.replace(PIECE, "").replace(/[\s,]|and/gi, "");
  return pieces.length >= 2 && rest === "" && pieces.every((piece) => parseLikeTheSdk(piece) !== undefined);
}

/**
 * @typedef {"ok" | "compound" | "unknown-unit" | "no-unit" | "not-positive"} DurationVerdict
 * - compound: several units in one string, e.g. "1h30m"; does not wait at all.
 * - unknown-unit: not a number and a known unit, e.g. "2 fortnights" or "soon"; does not wait at all.
 * - no-unit: a bare number such as "5000", which `ms` reads as milliseconds; easy to misread.
 * - not-positive: zero or negative; does not wait at all.
 */

/**
 * @param {string} text a duration string as written in the source
 * @returns {DurationVerdict}
 */
export function judgeDuration(text) {
  const parsed = parseLikeTheSdk(text);
  if (parsed === undefined) return isCompound(text) ? "compound" : "unknown-unit";
  if (!(parsed > 0)) return "not-positive";
  if (!/[a-z]/i.test(text)) return "no-unit";
  return "ok";
}

/**
 * What is wrong with a duration and how to fix it; null when the SDK reads it as written.
 * @param {string} text
 * @returns {{ problem: string, fix: string } | null}
 */
export function explainDuration(text) {
  switch (judgeDuration(text)) {
    case "ok":
      return null;
    case "compound":
      return {
        problem: `"${text}" combines units; Inngest parses one unit per string, so this would not wait at all.`,
        fix: "Use a single unit, e.g. '90m' for 1h30m or '36h' for 1d12h.",
      };
    case "unknown-unit":
      return {
        problem: `"${text}" is not a duration Inngest parses, so this would not wait at all.`,
        fix: "Use a number and one unit: '30s', '10m', '24h', '7d'.",
      };
    case "no-unit":
      return {
        problem: `"${text}" has no unit and is read as milliseconds.`,
        fix: "Write the unit, e.g. '5s' or '10m'.",
      };
    case "not-positive":
      return {
        problem: `"${text}" is not a positive duration, so this would not wait at all.`,
        fix: "Use a positive number and one unit, e.g. '1h'.",
      };
  }
}
