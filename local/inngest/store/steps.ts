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
}

/** Records a finished step; a step already recorded is never overwritten, so a replayed result cannot change it. */
export async function saveStep(tx: Database, runId: string, stepId: string, input: SaveStepInput) {
  await tx.query(
    `insert into steps (run_id, step_id, op, name, display_name, state, attempts, started_at, ended_at, error)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
     on conflict (run_id, step_id) do update set state = excluded.state, ended_at = excluded.ended_at, op = excluded.op,
       attempts = excluded.attempts, error = excluded.error
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
    ],
  );
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
) {
  await tx.query(
    `insert into steps (run_id, step_id, op, name, display_name, started_at) values ($1, $2, $3, $4, $5, $6)
     on conflict (run_id, step_id) do nothing`,
    [runId, stepId, op, name ?? null, displayName ?? null, now],
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
    "select step_id, op, name, display_name, state, attempts, started_at, ended_at, error from steps where run_id = $1 order by seq",
    [runId],
  );
}
