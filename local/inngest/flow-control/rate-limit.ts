import type { Database } from "../store/database";
import { lockArrivalTime, saveArrivalTime } from "../store/flow-state";
import { parseDurationMs } from "../durations";
import type { FunctionConfig } from "../types";

type RateLimit = NonNullable<FunctionConfig["rateLimit"]>;

/**
 * rateLimit as Inngest enforces it (pkg/execution/ratelimit/lua/ratelimit.lua): GCRA with an emission interval of
 * `period / limit` and a burst of `floor(limit / 10)`, so `burst + 1` runs may start at once and then one per
 * interval; a run over the limit is skipped, not queued. The theoretical arrival time is kept per function and key.
 * Returns whether the run may start, and takes its slot when it may.
 */
export async function takeRateLimitSlot(
  tx: Database,
  functionId: string,
  rateLimit: RateLimit,
  key: string,
  now: number,
): Promise<boolean> {
  const limit = Math.max(1, rateLimit.limit);
  const emission = parseDurationMs(rateLimit.period) / limit;
  const burst = Math.floor(limit / 10);
  const stateKey = `rate:${functionId}:${key}`;
  const tat = Math.max((await lockArrivalTime(tx, stateKey)) ?? now, now);
  // Capacity is left while the arrival time is no more than `burst` intervals ahead of now.
  if (tat - now > burst * emission) return false;
  await saveArrivalTime(tx, stateKey, tat + emission);
  return true;
}
