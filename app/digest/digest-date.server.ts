/**
 * The UTC calendar day a digest run is for, from the time its cron was scheduled. Every firing on one day, a
 * retry or a manual re-run included, names the same day, which is what the per-user-per-day keys rely on.
 */
export function digestDate(scheduledAt: number): string {
  return new Date(scheduledAt).toISOString().slice(0, 10);
}
