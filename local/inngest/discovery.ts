import type { Database } from "./store/database";
import { enqueue, hasQueuedStep } from "./store/jobs";
import { setForcePlan } from "./store/runs";

/** A discovery now, even while other planned steps are still pending (a `group.parallel` race). */
export function discoverAtOnce(tx: Database, runId: string, now: number): Promise<number | null> {
  return enqueue(tx, { runId, kind: "discovery", dueAt: now, dedupeKey: `${runId}:discovery:${now}` });
}

/**
 * One discovery after the last pending planned step finishes; then steps may run inline again (docs/inngest-protocol.md, "Parallel steps and planning").
 * Outside parallel mode no other step can be pending, so the bookkeeping queries are skipped.
 */
export async function discoverWhenParallelStepsDone(
  tx: Database,
  runId: string,
  now: number,
  parallel = true,
): Promise<number | null> {
  if (parallel) {
    if (await hasQueuedStep(tx, runId)) return null;
    await setForcePlan(tx, runId, false);
  }
  return discoverAtOnce(tx, runId, now);
}
