import { Cron } from "croner";

/**
 * The next time a cron trigger fires after `afterMs`. Inngest accepts a `TZ=Zone ` (or `CRON_TZ=`) prefix that
 * croner does not, so the zone is split off and passed separately; without one, crons run in UTC.
 */
export function nextCronFire(expression: string, afterMs: number): number | null {
  const { pattern, timezone } = splitTimezone(expression);
  const next = new Cron(pattern, { timezone, paused: true }).nextRun(new Date(afterMs));
  return next ? next.getTime() : null;
}

export function splitTimezone(expression: string): { pattern: string; timezone: string } {
  const match = /^(?:CRON_)?TZ=(\S+)\s+(.+)$/.exec(expression.trim());
  return match ? { timezone: match[1]!, pattern: match[2]! } : { timezone: "UTC", pattern: expression.trim() };
}
