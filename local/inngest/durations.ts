// Durations as Inngest's server reads them: Go-style strings with units w/d/h/m/s/ms ("1h30m" is valid
// here; the SDK's own single-unit parsing is what turns compound strings into zero before they reach us),
// or an ISO date for sleepUntil.

const UNIT_MS: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };
const MAX_SLEEP_MS = 366 * UNIT_MS.d!;

export function parseDurationMs(text: string): number {
  const trimmed = text.trim();
  if (trimmed === "") return 0;
  let total = 0;
  let rest = trimmed;
  const part = /^(\d+(?:\.\d+)?)(ms|s|m|h|d|w)/;
  while (rest.length > 0) {
    const match = part.exec(rest);
    if (!match) throw new Error(`"${text}" is not a duration like "30s", "10m" or "1h30m"`);
    total += Number(match[1]) * UNIT_MS[match[2]!]!;
    rest = rest.slice(match[0].length);
  }
  return total;
}

/** When a Sleep op should wake: `name` is a duration or, for sleepUntil, an ISO date. */
export function wakeTimeFor(name: string, nowMs: number): number {
  if (name.length >= 10 && !Number.isNaN(Date.parse(name)) && /^\d{4}-\d{2}-\d{2}/.test(name)) {
    return Math.min(Date.parse(name), nowMs + MAX_SLEEP_MS);
  }
  return nowMs + Math.min(parseDurationMs(name), MAX_SLEEP_MS);
}

/** A timeout option (waitForEvent, invoke, cancelOn) with a default when absent. */
export function timeoutMs(value: unknown, fallbackMs: number): number {
  if (typeof value === "number") return value;
  if (typeof value === "string" && value) return parseDurationMs(value);
  return fallbackMs;
}
