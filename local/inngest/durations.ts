// Durations as Inngest's server reads them: Go-style strings with units w/d/h/m/s/ms ("1h30m" is valid
// here; the SDK's own single-unit parsing is what turns compound strings into zero before they reach us),
// or an RFC 3339 date where the SDK was given a `Date` (sleepUntil, and the `timeout` of waitForEvent, invoke
// and cancelOn: the SDK's `timeStr` turns a Date into `toISOString()`).

const UNIT_MS: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };
const DAY_MS = UNIT_MS.d!;
const MAX_SLEEP_MS = 366 * DAY_MS;
/** Inngest's `MaxWaitForEventTimeout` (pkg/consts): a wait may last at most 366 days. */
export const MAX_WAIT_MS = 366 * DAY_MS;
/** An invoke without a timeout waits a year (`InvokeFunctionOpts.Expires` in Inngest's opcode.go). */
export const DEFAULT_INVOKE_TIMEOUT_MS = 365 * DAY_MS;

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

const ISO_DATE = /^\d{4}-\d{2}-\d{2}T/;

/**
 * When a timeout given as a duration or an RFC 3339 time expires, like Inngest's `strtimeout.ParseTimeout`.
 * Throws a message naming the value when it is neither.
 */
export function expiryOf(value: string, nowMs: number): number {
  if (ISO_DATE.test(value)) {
    const at = Date.parse(value);
    if (Number.isNaN(at)) throw new Error(`invalid RFC 3339 timestamp "${value}"`);
    return at;
  }
  return nowMs + parseDurationMs(value);
}

/** When a Sleep op should wake: `name` is a duration or, for sleepUntil, an ISO date. */
export function wakeTimeFor(name: string, nowMs: number): number {
  if (name.length >= 10 && !Number.isNaN(Date.parse(name)) && /^\d{4}-\d{2}-\d{2}/.test(name)) {
    return Math.min(Date.parse(name), nowMs + MAX_SLEEP_MS);
  }
  return nowMs + Math.min(parseDurationMs(name), MAX_SLEEP_MS);
}

/**
 * When a waitForEvent or invoke times out. The SDK sends an empty timeout for a zero or negative duration (or a
 * Date in the past): a wait then expires at once, as Inngest's `WaitForEventOpts.Expires` does, while an invoke
 * without one waits a year. A wait longer than 366 days is refused, as Inngest refuses it.
 */
export function pauseExpiry(kind: "wait" | "invoke", value: unknown, nowMs: number): number {
  if (typeof value === "number") return nowMs + value;
  if (typeof value !== "string" || value === "") return kind === "wait" ? nowMs : nowMs + DEFAULT_INVOKE_TIMEOUT_MS;
  const expires = expiryOf(value, nowMs);
  if (kind === "wait" && expires - nowMs > MAX_WAIT_MS)
    throw new Error(
      `The wait-for-event timeout "${value}" expires more than one year in the future; timeouts may last at most one year.`,
    );
  return expires;
}
