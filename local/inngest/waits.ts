import { discoverWhenParallelStepsDone } from "./discovery";
import { pauseExpiry } from "./durations";
import type { IngestContext } from "./ingest";
import { finishRun, startRun } from "./runs";
import { dropRunJobs, enqueue } from "./store/jobs";
import { hasPause, insertInvokePause, insertWaitPause, takePause } from "./store/pauses";
import { markStepWaiting, saveStep } from "./store/steps";
import type { Database } from "./store/database";
import type { InngestEvent, OutgoingOp, RunRow } from "./types";

// Steps that wait on something else: an event (step.waitForEvent), another run (step.invoke), the clock
// (step.sleep's wake-up), and the timeouts that end such a wait.

/** Pauses a run at `step.waitForEvent`; false when the run was failed instead (a timeout that does not parse). */
export async function waitForEvent(ctx: IngestContext, run: RunRow, op: OutgoingOp, now: number): Promise<boolean> {
  const { tx } = ctx;
  const eventName = typeof op.opts?.event === "string" ? op.opts.event : op.name;
  const expires = await expiryOrFail(ctx, run, "wait", op, now);
  if (expires === null) return false;
  await markStepWaiting(tx, run.run_id, op.id, "WaitForEvent", op.name, op.displayName, now, {
    event: eventName,
    ...op.opts,
  });
  if (!(await hasPause(tx, run.run_id, op.id))) {
    const expression = (op.opts?.if as string | undefined) ?? null;
    await insertWaitPause(tx, { runId: run.run_id, stepId: op.id, eventName, expression, expiresAt: expires });
    await enqueuePauseTimeout(tx, run.run_id, op.id, expires);
  }
  return true;
}

/** Starts the invoked run; false when the invoker's run was failed instead (a timeout that does not parse). */
export async function invokeChild(ctx: IngestContext, run: RunRow, op: OutgoingOp, now: number): Promise<boolean> {
  const { tx } = ctx;
  const runId = run.run_id;
  await markStepWaiting(tx, runId, op.id, "InvokeFunction", op.name, op.displayName, now, op.opts);
  if (await hasPause(tx, runId, op.id)) return true;
  const functionId = String(op.opts?.function_id ?? "");
  const fn = ctx.registry.get(functionId);
  if (!fn) {
    await failInvoke(tx, runId, op.id, `No function "${functionId}" to invoke`, now);
    return true;
  }
  const correlationId = `${runId}.${op.id}`;
  const expires = await expiryOrFail(ctx, run, "invoke", op, now);
  if (expires === null) return false;
  await insertInvokePause(tx, { runId, stepId: op.id, correlationId, expiresAt: expires });
  await enqueuePauseTimeout(tx, runId, op.id, expires);
  const payload = (op.opts?.payload ?? {}) as { data?: Record<string, unknown> };
  const event: InngestEvent = {
    name: "inngest/function.invoked",
    data: {
      ...(payload.data ?? {}),
      _inngest: { fn_id: functionId, correlation_id: correlationId, source_run_id: runId },
    },
    ts: now,
  };
  const childId = await startRun(ctx, { fn, event, parent: { runId, stepId: op.id } });
  if (childId === null) {
    // Skipped by the child's flow control (rate limit, singleton): Inngest fails the invoke rather than let it hang.
    await takePause(tx, runId, op.id);
    await dropRunJobs(tx, runId, "pause-timeout", op.id);
    await failInvoke(tx, runId, op.id, `The invoked function "${functionId}" was skipped by its flow control`, now);
  }
  return true;
}

async function failInvoke(tx: Database, runId: string, stepId: string, message: string, now: number) {
  await saveStep(tx, runId, stepId, { op: "InvokeFunction", state: { error: { name: "Error", message } }, now });
  await discoverWhenParallelStepsDone(tx, runId, now);
}

/** A pause that timed out: waitForEvent resumes with null, invoke with Inngest's timeout error. */
export async function expirePause(tx: Database, runId: string, stepId: string, now: number) {
  const kind = await takePause(tx, runId, stepId);
  if (kind === null) return; // the event or the result came first
  const state =
    kind === "invoke"
      ? { error: { name: "InngestInvokeTimeoutError", message: "Timed out waiting for invoked function to complete" } }
      : { data: null };
  await saveStep(tx, runId, stepId, { op: kind === "invoke" ? "InvokeFunction" : "WaitForEvent", state, now });
  await enqueue(tx, { runId, kind: "discovery", dueAt: now });
}

/** A step whose wait ended (a sleep woke up): its result is recorded and the run asked for what comes next. */
export async function resumeStep(
  tx: Database,
  runId: string,
  resumed: { stepId: string; op: string; state: unknown },
  now: number,
) {
  await saveStep(tx, runId, resumed.stepId, { op: resumed.op, state: resumed.state, now });
  await enqueue(tx, { runId, kind: "discovery", dueAt: now });
}

/** The pause's expiry, or null after failing the run when the timeout is not a valid duration or date. */
async function expiryOrFail(
  ctx: IngestContext,
  run: RunRow,
  kind: "wait" | "invoke",
  op: OutgoingOp,
  now: number,
): Promise<number | null> {
  try {
    return pauseExpiry(kind, op.opts?.timeout, now);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    await finishRun(ctx, run, { status: "Failed", error: { name: "Error", message } });
    return null;
  }
}

/** The job that ends a pause (waitForEvent, invoke) at its timeout, unless an event or a result resumes it first. */
function enqueuePauseTimeout(tx: Database, runId: string, stepId: string, expires: number) {
  return enqueue(tx, { runId, kind: "pause-timeout", stepId, dueAt: expires, dedupeKey: `${runId}:${stepId}:timeout` });
}
