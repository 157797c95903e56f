import type { Database } from "./store/database";
import { requestStillQueued, resetAttempts } from "./store/jobs";
import { MAX_STEP_OUTPUT_BYTES, stepOutputTooLargeError } from "./limits";
import { saveStep } from "./store/steps";
import { timedBySdk } from "./step-timing";
import type { OutgoingOp } from "./types";

// Async checkpointing (SDK 4.24, on by default; `checkpointing: { maxRuntime }` tunes it): when a request carries
// `ctx.fn_id` and `ctx.qi_id`, the SDK runs one step after another in that same request and reports each finished
// step to `POST /v1/checkpoint/:runId/async` instead of answering 206 after every step. Each checkpoint is
// recorded at once, so a crash loses nothing, following Inngest's `checkpointAsyncSteps`
// (pkg/execution/checkpoint/checkpoint.go): only step results are accepted, a step output over 4 MB is refused
// with 413, a checkpoint for a request that is no longer current with 409 (the SDK then stops), and a checkpoint
// resets the request's attempt count.

export interface AsyncCheckpoint {
  run_id?: string;
  fn_id?: string;
  qi_id?: string;
  steps?: OutgoingOp[];
}

export type CheckpointResult = { status: 200 } | { status: 400 | 409 | 413; error: string };

/** Ops the SDK may checkpoint that change nothing here (Inngest only traces them). */
const TRACE_ONLY_OPS = new Set(["StepPlanned", "DeferAdd", "DeferAbort"]);

export async function recordAsyncCheckpoint(
  tx: Database,
  runId: string,
  input: AsyncCheckpoint,
  now: number,
  fromRealTime: (realMs: number) => number,
): Promise<CheckpointResult> {
  const jobId = Number(input.qi_id);
  if (!Number.isSafeInteger(jobId))
    return { status: 400, error: "qi_id must be the id the executor sent in ctx.qi_id" };
  const current = await requestStillQueued(tx, jobId, runId);
  if (!current || current.status !== "Running")
    return { status: 409, error: `Stale dispatch: run ${runId} is no longer waiting for request ${input.qi_id}` };
  const steps = input.steps ?? [];
  for (const op of steps) {
    if (op.op === "StepRun" || op.op === "Step") {
      const bytes = op.data === undefined ? 0 : Buffer.byteLength(JSON.stringify(op.data));
      if (bytes > MAX_STEP_OUTPUT_BYTES) return { status: 413, error: stepOutputTooLargeError(op.id, bytes).message };
    } else if (!TRACE_ONLY_OPS.has(op.op)) {
      return { status: 400, error: `cannot checkpoint opcode: ${op.op}` };
    }
  }
  for (const op of steps) {
    if (op.op !== "StepRun" && op.op !== "Step") continue;
    const timed = timedBySdk(op, now, fromRealTime);
    await saveStep(tx, runId, op.id, {
      op: op.opts?.type === "step.sendEvent" ? "SendEvent" : "StepRun",
      state: { data: op.data ?? null },
      now: timed?.endedAt ?? now,
      startedAt: timed?.startedAt,
      name: op.name,
      displayName: op.displayName,
      input: op.opts,
    });
  }
  await resetAttempts(tx, jobId);
  return { status: 200 };
}
