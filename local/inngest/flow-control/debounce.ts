import type { Database } from "../store/database";
import { evaluateKey } from "../cel";
import { parseDurationMs } from "../durations";
import type { RegisteredFunction } from "../registry";
import { enqueue, lockHeldJob, updateHeldJob } from "../store/jobs";
import type { InngestEvent } from "../types";

export interface DebouncePayload {
  functionId: string;
  event: InngestEvent & { internalId?: string };
  firstAt: number;
}

/**
 * Debounce: each matching event pushes the pending run `period` later and replaces its event, so the run starts
 * once events stop arriving, with the latest one. `timeout` caps how long the first event can be held back.
 * The pending run is one queued job per function and key, so it survives a restart.
 */
export async function debounceEvent(
  tx: Database,
  fn: RegisteredFunction,
  event: DebouncePayload["event"],
  now: number,
) {
  const debounce = fn.config.debounce!;
  const key = evaluateKey(debounce.key, { event });
  const dedupeKey = `debounce:${fn.config.id}:${key}`;
  const pending = await lockHeldJob<DebouncePayload>(tx, dedupeKey);
  const firstAt = pending?.payload.firstAt ?? now;
  const cap = debounce.timeout ? firstAt + parseDurationMs(debounce.timeout) : Number.POSITIVE_INFINITY;
  const dueAt = Math.min(now + parseDurationMs(debounce.period), cap);
  const payload: DebouncePayload = { functionId: fn.config.id, event, firstAt };
  if (pending) {
    await updateHeldJob(tx, pending.id, payload, dueAt);
  } else {
    await enqueue(tx, { runId: null, kind: "debounce", dueAt, payload, dedupeKey });
  }
}
