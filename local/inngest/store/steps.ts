import type { Database } from "./database";
import type { StepDetail } from "../types";

export interface SaveStepInput {
  op: string;
  state: unknown;
  now: number;
  name?: string;
  displayName?: string;
  attempts?: number;
  startedAt?: number;
  error?: unknown;
  /** The op's `opts`, kept for the dashboard; a step already recorded as waiting keeps the input it had. */
  input?: unknown;
}

/** Records a finished step; a step already recorded is never overwritten, so a replayed result cannot change it. */
export async function saveStep(tx: Database, runId: string, stepId: string, input: SaveStepInput) {
  await tx.query(
    `insert into steps (run_id, step_id, op, name, display_name, state, attempts, started_at, ended_at, error, input)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
     on conflict (run_id, step_id) do update set state = excluded.state, ended_at = excluded.ended_at, op = excluded.op,
       attempts = excluded.attempts, error = excluded.error, input = coalesce(steps.input, excluded.input)
     where steps.ended_at is null`,
    [
      runId,
      stepId,
      input.op,
      input.name ?? null,
      input.displayName ?? null,
      JSON.stringify(input.state),
      input.attempts ?? 1,
      input.startedAt ?? input.now,
      input.now,
      input.error === undefined ? null : JSON.stringify(input.error),
      jsonOrNull(input.input),
    ],
  );
}

/** Empty `opts` (`{}`) is no input worth showing. */
function jsonOrNull(value: unknown): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value === "object" && Object.keys(value).length === 0) return null;
  return JSON.stringify(value);
}

/** Marks a step as waiting (sleep, waitForEvent, invoke) so the dashboard can show it before it completes. */
export async function markStepWaiting(
  tx: Database,
  runId: string,
  stepId: string,
  op: string,
  name: string | undefined,
  displayName: string | undefined,
  now: number,
  input?: unknown,
) {
  await tx.query(
    `insert into steps (run_id, step_id, op, name, display_name, started_at, input) values ($1, $2, $3, $4, $5, $6, $7)
     on conflict (run_id, step_id) do nothing`,
    [runId, stepId, op, name ?? null, displayName ?? null, now, jsonOrNull(input)],
  );
}

/** Records a failed attempt of a step that will be retried: its attempts so far and the last error. */
export async function recordFailedAttempt(
  tx: Database,
  runId: string,
  stepId: string,
  attempts: number,
  error: unknown,
) {
  await tx.query("update steps set attempts = $3, error = $4 where run_id = $1 and step_id = $2", [
    runId,
    stepId,
    attempts,
    JSON.stringify(error ?? null),
  ]);
}

/** A run's steps in the order they were first seen. */
export async function stepsOfRun(db: Database, runId: string): Promise<StepDetail[]> {
  return db.query<StepDetail>(
    "select step_id, op, name, display_name, state, attempts, started_at, ended_at, error, input, reused_from from steps where run_id = $1 order by seq",
    [runId],
  );
}

/**
 * For a rerun from a step (Inngest's `reconstruct` in pkg/execution/executor): copies the original run's finished
 * steps, in the order they finished (the stack the SDK is sent), up to but not including `fromStep`, into the new
 * run, marked as reused. The copies finish "now" in that same order, so the new run's own steps come after them.
 * Returns how many were copied.
 */
export async function copyStepsBefore(
  tx: Database,
  input: { fromRunId: string; toRunId: string; fromStep: string; now: number },
): Promise<number> {
  const copied = await tx.query(
    `with stack as (
       select *, row_number() over (order by ended_at, seq) as position from steps where run_id = $1 and ended_at is not null),
     cut as (select coalesce((select position from stack where step_id = $3), (select count(*) + 1 from stack)) as position)
     insert into steps (run_id, step_id, op, name, display_name, state, attempts, started_at, ended_at, error, input, reused_from)
     select $2, step_id, op, name, display_name, state, attempts, $4, $4, error, input, $1 from stack
     where position < (select position from cut) order by position
     returning step_id`,
    [input.fromRunId, input.toRunId, input.fromStep, input.now],
  );
  return copied.length;
}

/** Whether a run has (or had) a step with this id. */
export async function hasStep(db: Database, runId: string, stepId: string): Promise<boolean> {
  return (await db.query("select 1 from steps where run_id = $1 and step_id = $2", [runId, stepId])).length > 0;
}

/**
 * The `step.sendEvent` step that sent an event, found by the event ids the step recorded as its output
 * (`{ ids: [...] }`, the Event API's answer to the SDK), or undefined for an event sent from elsewhere.
 */
export async function stepThatSentEvent(
  db: Database,
  eventId: string,
): Promise<{ run_id: string; step_id: string; name: string | null } | undefined> {
  const [sender] = await db.query<{ run_id: string; step_id: string; name: string | null }>(
    `select run_id, step_id, coalesce(display_name, name) as name from steps
     where op = 'SendEvent' and reused_from is null and state->'data'->'ids' ? $1 limit 1`,
    [eventId],
  );
  return sender;
}
