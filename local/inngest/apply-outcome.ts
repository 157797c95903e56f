import { retryDelayMs, type RetryPolicy } from "./backoff";
import { discoverAtOnce, discoverWhenParallelStepsDone } from "./discovery";
import { wakeTimeFor } from "./durations";
import type { GatewayPayload } from "./gateway";
import type { IngestContext } from "./ingest";
import { MAX_RUN_STATE_BYTES, MAX_STEPS_PER_RUN, stateOverflowError, stepLimitError } from "./limits";
import { finishRun } from "./runs";
import { setForcePlan, type RunOutcome } from "./store/runs";
import type { SdkOutcome } from "./sdk-request";
import { timedBySdk } from "./step-timing";
import { enqueue } from "./store/jobs";
import { markStepWaiting, recordFailedAttempt, saveStep } from "./store/steps";
import type { JobRow, OutgoingOp, RunRow } from "./types";
import { invokeChild, waitForEvent } from "./waits";

// Applying the SDK's answer to a request (docs/inngest-protocol.md, section 4), in the caller's transaction:
// the run completes or fails, or each op it returned records a step or queues what the step waits for.

export interface ApplyContext extends IngestContext {
  retry: RetryPolicy;
}

export interface AnsweredRequest {
  run: RunRow;
  job: JobRow;
  outcome: SdkOutcome;
  attempts: number;
  stepCount: number;
  /** The size of the run's state as last sent to the SDK (events and step results). */
  stateBytes: number;
  /** The step just run was planned in a `group.parallel` race: the run moves on without its siblings. */
  race: boolean;
  startedAt: number;
  now: number;
}

/**
 * How the run ends when applying this answer does nothing but end it (it completed, failed for good or went past a
 * limit), else null. The engine ends such runs in groups (answer-batch.ts); `applyOutcome` ends them one by one.
 */
export function endingOf(input: Omit<AnsweredRequest, "run" | "race" | "startedAt" | "now">): RunOutcome | null {
  const { outcome, job, attempts } = input;
  if (outcome.kind === "complete") return { status: "Completed", output: outcome.output };
  if (outcome.kind === "error")
    return outcome.retriable && job.attempt + 1 < attempts ? null : { status: "Failed", error: outcome.error };
  if (input.stepCount + outcome.ops.length > MAX_STEPS_PER_RUN) return { status: "Failed", error: stepLimitError() };
  if (input.stateBytes + outcome.outputBytes > MAX_RUN_STATE_BYTES)
    return { status: "Failed", error: stateOverflowError() };
  const [only] = outcome.ops;
  if (outcome.ops.length === 1 && only!.op === "RunComplete")
    return { status: "Completed", output: only!.data ?? null };
  return null;
}

/** Applies an answer; returns the id of the discovery request it queued, if the run should go on at once. */
export async function applyOutcome(ctx: ApplyContext, input: AnsweredRequest): Promise<number | null> {
  const { run, job, outcome, now } = input;
  const { tx } = ctx;
  const ending = endingOf(input);
  if (ending) {
    await finishRun(ctx, run, ending);
    return null;
  }
  if (outcome.kind === "complete") return null; // unreachable: a completion is always an ending
  if (outcome.kind === "error") {
    const delay = retryDelayMs(job.attempt, ctx.retry, outcome.retryAfter, now);
    await enqueue(tx, {
      runId: run.run_id,
      kind: job.kind,
      stepId: job.step_id ?? undefined,
      attempt: job.attempt + 1,
      dueAt: now + delay,
    });
    return null;
  }
  if (outcome.ops.length > 1 && !run.force_plan) await setForcePlan(tx, run.run_id, true);
  let stepFinished = false;
  for (const op of outcome.ops) {
    const finished = await applyOp(ctx, { ...input, op, noRetry: outcome.noRetry, retryAfter: outcome.retryAfter });
    if (finished === "run-finished") return null;
    stepFinished ||= finished === "step-finished";
  }
  const parallel = run.force_plan || outcome.ops.length > 1;
  if (stepFinished && input.race) return discoverAtOnce(tx, run.run_id, now);
  return stepFinished ? discoverWhenParallelStepsDone(tx, run.run_id, now, parallel) : null;
}

/** Applies one op. Returns whether a step finished, so the run can move on. */
async function applyOp(
  ctx: ApplyContext,
  input: {
    run: RunRow;
    job: JobRow;
    op: OutgoingOp;
    attempts: number;
    noRetry: boolean;
    retryAfter: string | null;
    startedAt: number;
    now: number;
  },
): Promise<"step-finished" | "waiting" | "run-finished"> {
  const { tx } = ctx;
  const { run, job, op, now } = input;
  const runId = run.run_id;
  const attemptNumber = job.kind === "step" && job.step_id === op.id ? job.attempt + 1 : 1;
  const names = { name: op.name, displayName: op.displayName, input: op.opts };
  switch (op.op) {
    case "StepRun":
      await saveStep(tx, runId, op.id, {
        op: op.opts?.type === "step.sendEvent" ? "SendEvent" : "StepRun",
        state: { data: op.data ?? null },
        now,
        ...names,
        attempts: attemptNumber,
        // Never before the request went out (the SDK's clock may run a little behind ours).
        startedAt: Math.max(timedBySdk(op, now, (ms) => ctx.clock.fromRealTime(ms))?.startedAt ?? 0, input.startedAt),
      });
      return "step-finished";
    case "StepError": {
      const attempt = job.kind === "step" && job.step_id === op.id ? job.attempt : 0;
      if (!input.noRetry && attempt + 1 < input.attempts) {
        await markStepWaiting(tx, runId, op.id, "StepRun", op.name, op.displayName, input.startedAt, op.opts);
        await recordFailedAttempt(tx, runId, op.id, attempt + 1, op.error);
        const delay = retryDelayMs(attempt, ctx.retry, input.retryAfter, now);
        await enqueue(tx, {
          runId,
          kind: "step",
          stepId: op.id,
          attempt: attempt + 1,
          dueAt: now + delay,
          dedupeKey: `${runId}:${op.id}:step`,
        });
        return "waiting";
      }
      await saveStep(tx, runId, op.id, {
        op: "StepFailed",
        state: { error: op.error },
        now,
        ...names,
        attempts: attempt + 1,
        error: op.error,
      });
      return "step-finished";
    }
    case "StepFailed":
      await saveStep(tx, runId, op.id, {
        op: "StepFailed",
        state: { error: op.error },
        now,
        ...names,
        attempts: attemptNumber,
        error: op.error,
      });
      return "step-finished";
    case "StepPlanned":
      await markStepWaiting(tx, runId, op.id, "StepRun", op.name, op.displayName, now, op.opts);
      await enqueue(tx, {
        runId,
        kind: "step",
        stepId: op.id,
        dueAt: now,
        dedupeKey: `${runId}:${op.id}:step`,
        payload: op.opts?.parallelMode ? { parallelMode: op.opts.parallelMode } : undefined,
      });
      return "waiting";
    case "Gateway":
    case "AIGateway":
      await markStepWaiting(tx, runId, op.id, op.op, op.name, op.displayName, now, op.opts);
      await enqueue(tx, {
        runId,
        kind: "gateway",
        stepId: op.id,
        dueAt: now,
        dedupeKey: `${runId}:${op.id}:gateway`,
        payload: { op } satisfies GatewayPayload,
      });
      return "waiting";
    case "WaitForSignal":
      await finishRun(ctx, run, {
        status: "Failed",
        error: {
          name: "Error",
          message: `step.waitForSignal("${op.displayName ?? op.id}") is not supported by the local executor: it has no signal API to resume it. Use step.waitForEvent locally, or run against Inngest Cloud or the Inngest dev server.`,
        },
      });
      return "run-finished";
    case "Sleep": {
      const duration = typeof op.opts?.duration === "string" ? op.opts.duration : (op.name ?? "");
      await markStepWaiting(tx, runId, op.id, "Sleep", op.name, op.displayName, now, { duration });
      await enqueue(tx, {
        runId,
        kind: "resume",
        stepId: op.id,
        dueAt: wakeTimeFor(duration, now),
        payload: { stepId: op.id, op: "Sleep", state: { data: null } },
        dedupeKey: `${runId}:${op.id}:resume`,
      });
      return "waiting";
    }
    case "WaitForEvent":
      return (await waitForEvent(ctx, run, op, now)) ? "waiting" : "run-finished";
    case "InvokeFunction":
      return (await invokeChild(ctx, run, op, now)) ? "waiting" : "run-finished";
    case "RunComplete":
      await finishRun(ctx, run, { status: "Completed", output: op.data ?? null });
      return "run-finished";
    default:
      await finishRun(ctx, run, {
        status: "Failed",
        error: { name: "Error", message: `The local executor does not support the ${op.op} op` },
      });
      return "run-finished";
  }
}
