import type { Database } from "../database";
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
  const [state] = await tx.query<{ tat: number }>("select tat from throttle_state where key = $1 for update", [
    stateKey,
  ]);
  const tat = Math.max(state?.tat ?? now, now);
  // Capacity is left while the arrival time is no more than `burst` intervals ahead of now.
  if (tat - now > burst * emission) return false;
  await tx.query(
    "insert into throttle_state (key, tat) values ($1, $2) on conflict (key) do update set tat = excluded.tat",
    [stateKey, tat + emission],
  );
  return true;
}
