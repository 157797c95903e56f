import type { Database } from "./database";
import type { InngestEvent } from "../types";

// Pauses: steps waiting for something other than time (an event for waitForEvent, a result for invoke).

export async function hasPause(tx: Database, runId: string, stepId: string): Promise<boolean> {
  return (await tx.query("select id from pauses where run_id = $1 and step_id = $2", [runId, stepId])).length > 0;
}

export async function insertWaitPause(
  tx: Database,
  input: { runId: string; stepId: string; eventName: string | undefined; expression: string | null; expiresAt: number },
) {
  await tx.query(
    "insert into pauses (run_id, step_id, kind, event_name, expression, expires_at) values ($1, $2, 'wait', $3, $4, $5)",
    [input.runId, input.stepId, input.eventName, input.expression, input.expiresAt],
  );
}

export async function insertInvokePause(
  tx: Database,
  input: { runId: string; stepId: string; correlationId: string; expiresAt: number },
) {
  await tx.query(
    "insert into pauses (run_id, step_id, kind, correlation_id, expires_at) values ($1, $2, 'invoke', $3, $4)",
    [input.runId, input.stepId, input.correlationId, input.expiresAt],
  );
}

/** Removes a step's pause (of one kind, when given) and returns its kind, or null when it had none left. */
export async function takePause(
  tx: Database,
  runId: string,
  stepId: string,
  kind?: "wait" | "invoke",
): Promise<string | null> {
  const [taken] = await tx.query<{ kind: string }>(
    "delete from pauses where run_id = $1 and step_id = $2 and ($3::text is null or kind = $3) returning kind",
    [runId, stepId, kind ?? null],
  );
  return taken?.kind ?? null;
}

/** Removes one pause by id; false when another event claimed it first. */
export async function takePauseById(tx: Database, id: number): Promise<boolean> {
  return (await tx.query("delete from pauses where id = $1 returning id", [id])).length > 0;
}

export interface WaitingPause {
  id: number;
  run_id: string;
  step_id: string;
  expression: string | null;
  /** The waiting run's triggering event, for the pause's `if` expression. */
  event: InngestEvent;
}
