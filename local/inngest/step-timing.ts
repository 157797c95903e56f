import type { OutgoingOp } from "./types";

/**
 * When a step ran, on the executor's clock: the SDK reports its own timing (`a`, the start in epoch nanoseconds;
 * `b`, the duration in nanoseconds). A request runs several steps when the SDK checkpoints, so the times the
 * request went out and its answer came in would give them all one span. The SDK measures real time, which the
 * executor's clock runs ahead of by however far it was moved (`fromRealTime`). Undefined when the SDK sent no
 * usable timing.
 */
export function timedBySdk(
  op: OutgoingOp,
  now: number,
  fromRealTime: (realMs: number) => number,
): { startedAt: number; endedAt: number } | undefined {
  const startNs = Number(op.timing?.a);
  const durationNs = Number(op.timing?.b);
  if (!(startNs > 0) || !(durationNs >= 0)) return undefined;
  const startedAt = Math.min(fromRealTime(startNs / 1e6), now);
  return { startedAt, endedAt: Math.min(startedAt + durationNs / 1e6, now) };
}
