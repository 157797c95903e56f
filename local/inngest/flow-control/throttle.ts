import type { Database } from "../store/database";
import { lockArrivalTime, saveArrivalTime } from "../store/flow-state";
import { parseDurationMs } from "../durations";
import type { FunctionConfig } from "../types";

type Throttle = NonNullable<FunctionConfig["throttle"]>;

/**
 * Reserves the start time of a throttled run with the generic cell rate algorithm Inngest's queue uses:
 * `limit + burst` runs start at once, then one every `period / limit`, first come first served. Nothing is
 * dropped; a run over the limit is queued for its slot. The theoretical arrival time is kept per key.
 */
export async function reserveThrottledStart(
  tx: Database,
  functionId: string,
  throttle: Throttle,
  key: string,
  now: number,
): Promise<number> {
  const interval = parseDurationMs(throttle.period) / Math.max(1, throttle.limit);
  const capacity = Math.max(1, throttle.limit) + Math.max(0, throttle.burst ?? 0);
  const tolerance = (capacity - 1) * interval;
  const stateKey = `${functionId}:${key}`;
  const tat = Math.max((await lockArrivalTime(tx, stateKey)) ?? now, now);
  const startAt = Math.max(now, tat - tolerance);
  await saveArrivalTime(tx, stateKey, Math.max(tat, startAt) + interval);
  return startAt;
}
