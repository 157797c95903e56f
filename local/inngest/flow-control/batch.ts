import type { Database } from "../store/database";
import { evaluateKey } from "../cel";
import { parseDurationMs } from "../durations";
import type { RegisteredFunction } from "../registry";
import { deleteJob, enqueue, lockHeldJob, updateHeldJob } from "../store/jobs";
import type { InngestEvent } from "../types";

export interface BatchPayload {
  functionId: string;
  events: Array<InngestEvent & { internalId?: string }>;
}

/**
 * batchEvents: matching events collect in one pending batch per function and key. The batch starts a run when it
 * holds `maxSize` events (returned here for the caller to start at once) or when `timeout` has passed since its
 * first event (the queued job fires it). The run gets the first event as `event` and all of them as `events`.
 */
export async function addToBatch(
  tx: Database,
  fn: RegisteredFunction,
  event: BatchPayload["events"][number],
  now: number,
): Promise<BatchPayload["events"] | null> {
  const batch = fn.config.batchEvents!;
  const key = evaluateKey(batch.key, { event });
  const dedupeKey = `batch:${fn.config.id}:${key}`;
  const pending = await lockHeldJob<BatchPayload>(tx, dedupeKey);
  const events = [...(pending?.payload.events ?? []), event];
  if (events.length >= batch.maxSize) {
    if (pending) await deleteJob(tx, pending.id);
    return events;
  }
  const payload: BatchPayload = { functionId: fn.config.id, events };
  if (pending) {
    await updateHeldJob(tx, pending.id, payload);
  } else {
    await enqueue(tx, { runId: null, kind: "batch", dueAt: now + parseDurationMs(batch.timeout), payload, dedupeKey });
  }
  return null;
}
