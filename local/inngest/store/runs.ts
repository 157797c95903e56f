import type { Database } from "./database";
import type { InngestEvent, RunOrigin, RunRow } from "../types";

/** A run by id, or undefined when there is none. */
export async function findRun(db: Database, runId: string): Promise<RunRow | undefined> {
  const [run] = await db.query<RunRow>("select * from runs where run_id = $1", [runId]);
  return run;
}

export type RunWithMemo = RunRow & { memo: Array<{ id: string; state: unknown }> };

/**
 * Runs with the state the SDK is sent (the finished steps' results in the order they finished), by id, in one
 * round trip for all the requests the queue starts together.
 */
export async function findRunsWithMemo(db: Database, runIds: string[]): Promise<Map<string, RunWithMemo>> {
  const rows = await db.query<RunWithMemo>(
    `select r.*, (select coalesce(json_agg(json_build_object('id', s.step_id, 'state', s.state) order by s.ended_at, s.seq), '[]'::json)
       from steps s where s.run_id = r.run_id and s.ended_at is not null) as memo
     from runs r where r.run_id in (select jsonb_array_elements_text($1::jsonb))`,
    [JSON.stringify(runIds)],
  );
  return new Map(rows.map((row) => [row.run_id, row]));
}

export interface NewRun {
  runId: string;
  functionId: string;
  eventId: string | null;
  event: InngestEvent;
  events: InngestEvent[];
  startedAt: number;
  concurrencyKeys: string[];
  parent: { runId: string; stepId: string } | null;
  singletonKey: string | null;
  /** When the run's first request (its discovery) is due. */
  firstRequestAt: number;
  batchEventIds: string[] | null;
  /** A rerun's original run (and the step it reran from). */
  origin?: RunOrigin | null;
}

/** Creates running runs and queues the first request of each, in one round trip however many there are. */
export async function insertRuns(tx: Database, runs: NewRun[]) {
  if (runs.length === 0) return;
  const rows = runs.map((run) => ({
    run_id: run.runId,
    function_id: run.functionId,
    event_id: run.eventId,
    event: run.event,
    events: run.events,
    started_at: run.startedAt,
    concurrency_keys: run.concurrencyKeys,
    parent: run.parent,
    singleton_key: run.singletonKey,
    due_at: run.firstRequestAt,
    batch_event_ids: run.batchEventIds,
    origin: run.origin ?? null,
  }));
  await tx.query(
    `with incoming as (
       select * from jsonb_to_recordset($1::jsonb) as x(run_id text, function_id text, event_id text, event jsonb, events jsonb,
         started_at float8, concurrency_keys jsonb, parent jsonb, singleton_key text, due_at float8, batch_event_ids jsonb, origin jsonb)),
     run as (
       insert into runs (run_id, function_id, event_id, event, events, status, started_at, concurrency_keys, parent, singleton_key, batch_event_ids, origin)
       select run_id, function_id, event_id, event, events, 'Running', started_at, concurrency_keys,
         nullif(parent, 'null'::jsonb), singleton_key, nullif(batch_event_ids, 'null'::jsonb), nullif(origin, 'null'::jsonb) from incoming)
     insert into jobs (run_id, kind, due_at, concurrency_keys) select run_id, 'discovery', due_at, concurrency_keys from incoming`,
    [JSON.stringify(rows)],
  );
}

export type RunOutcome =
  { status: "Completed"; output: unknown } | { status: "Failed"; error: unknown } | { status: "Cancelled" };

/**
 * Ends a run if it is still running, dropping its queued work and pauses, in one round trip. False when it had
 * already ended.
 */
export async function endRun(tx: Database, runId: string, outcome: RunOutcome, now: number): Promise<boolean> {
  const { status, output, error } = outcomeColumns(outcome);
  const updated = await tx.query(
    `with ended as (
       update runs set status = $2, output = $3, error = $4, ended_at = $5 where run_id = $1 and status = 'Running' returning run_id),
     dropped_jobs as (delete from jobs where run_id in (select run_id from ended)),
     dropped_pauses as (delete from pauses where run_id in (select run_id from ended))
     select run_id from ended`,
    [runId, status, output, error, now],
  );
  return updated.length > 0;
}

/** How an outcome is stored: the run's status, and its output or error as JSON text. */
function outcomeColumns(outcome: RunOutcome) {
  return {
    status: outcome.status,
    output: outcome.status === "Completed" ? JSON.stringify(outcome.output ?? null) : null,
    error: outcome.status === "Failed" ? JSON.stringify(outcome.error) : null,
  };
}

/** An answered request that ends its run: the queued request (taken here) and how the run ends. */
export interface AnsweredEnding {
  jobId: number;
  runId: string;
  outcome: RunOutcome;
}

/**
 * `takeRunJob` and `endRun` for many answers in one round trip: each run whose request is still queued has that
 * request taken (its row locked first, as `takeRunJob` does) and, if still running, is ended with its outcome,
 * its other queued work and pauses dropped. Returns the runs that ended. Each run may appear once.
 */
export async function endAnsweredRuns(tx: Database, answers: AnsweredEnding[], now: number): Promise<Set<string>> {
  if (answers.length === 0) return new Set();
  const rows = answers.map(({ jobId, runId, outcome }) => ({
    job_id: jobId,
    run_id: runId,
    ...outcomeColumns(outcome),
  }));
  const ended = await tx.query<{ run_id: string }>(
    `with answered as (
       select * from jsonb_to_recordset($1::jsonb) as x(job_id bigint, run_id text, status text, output text, error text)),
     locked as (select r.run_id from runs r join answered a on a.run_id = r.run_id order by r.run_id for update of r),
     taken as (
       delete from jobs j using answered a where j.id = a.job_id and j.run_id = a.run_id and a.run_id in (select run_id from locked)
       returning j.id, a.run_id, a.status, a.output, a.error),
     ended as (
       update runs r set status = t.status, output = t.output::jsonb, error = t.error::jsonb, ended_at = $2
       from taken t where r.run_id = t.run_id and r.status = 'Running' returning r.run_id),
     dropped_jobs as (delete from jobs where run_id in (select run_id from ended) and id not in (select id from taken)),
     dropped_pauses as (delete from pauses where run_id in (select run_id from ended))
     select run_id from ended`,
    [JSON.stringify(rows), now],
  );
  return new Set(ended.map((row) => row.run_id));
}

export async function runningRunsOfSingleton(tx: Database, singletonKey: string): Promise<RunRow[]> {
  return tx.query<RunRow>("select * from runs where singleton_key = $1 and status = 'Running'", [singletonKey]);
}

export async function runningRunsOf(tx: Database, functionId: string): Promise<RunRow[]> {
  return tx.query<RunRow>("select * from runs where function_id = $1 and status = 'Running'", [functionId]);
}

/** Records when a run's first request went out (the start timeout stops applying) and drops that timeout. */
export async function markRunExecuting(tx: Database, runId: string, now: number) {
  await tx.query("update runs set executing_since = $2 where run_id = $1 and executing_since is null", [runId, now]);
  await tx.query("delete from jobs where run_id = $1 and kind = 'timeout-start'", [runId]);
}

/** Whether the SDK must plan every step rather than run one inline (parallel steps pending). */
export async function setForcePlan(tx: Database, runId: string, forcePlan: boolean) {
  await tx.query("update runs set force_plan = $2 where run_id = $1", [runId, forcePlan]);
}

export interface RunFilters {
  status?: string | null;
  functionId?: string | null;
  eventId?: string | null;
  since?: number | null;
  /** Text the run's id, function, event, output or error contains (any case). */
  text?: string | null;
  limit: number;
}

/**
 * Runs newest first, narrowed by status, function, triggering event (batched runs included), start time and
 * text anywhere in the run.
 */
export async function listRuns(db: Database, filters: RunFilters): Promise<RunRow[]> {
  return db.query<RunRow>(
    `select * from runs where ($1::text is null or status = $1) and ($2::text is null or function_id = $2)
       and ($3::text is null or event_id = $3 or batch_event_ids @> jsonb_build_array($3::text)) and ($4::float8 is null or started_at >= $4)
       and ($6::text is null or strpos(lower(concat_ws(' ', run_id, function_id, event::text, output::text, error::text)), lower($6)) > 0)
     order by started_at desc limit $5`,
    [
      filters.status ?? null,
      filters.functionId ?? null,
      filters.eventId ?? null,
      filters.since ?? null,
      filters.limit,
      filters.text || null,
    ],
  );
}

/** The runs an event started, oldest first: those it triggered and the batches it is part of. */
export async function runsOfEvent(db: Database, eventId: string): Promise<RunRow[]> {
  return db.query<RunRow>(
    "select * from runs where event_id = $1 or batch_event_ids @> jsonb_build_array($1::text) order by started_at",
    [eventId],
  );
}

export interface LinkedRun {
  run_id: string;
  function_id: string;
  status: string;
}

/** The runs a run started with `step.invoke`, with the step that invoked each, oldest first. */
export async function childRunsOf(db: Database, runId: string): Promise<Array<LinkedRun & { step_id: string }>> {
  return db.query(
    `select run_id, function_id, status, parent->>'stepId' as step_id from runs
     where parent is not null and parent->>'runId' = $1 order by started_at`,
    [runId],
  );
}

/** A run's reruns (from a step too, with that step), oldest first. */
export async function rerunsOf(db: Database, runId: string): Promise<Array<LinkedRun & { from_step: string | null }>> {
  return db.query(
    `select run_id, function_id, status, origin->>'fromStep' as from_step from runs
     where origin is not null and origin->>'runId' = $1 order by started_at`,
    [runId],
  );
}

/** The runs started by any of these events (those events triggered, and batches they are part of), oldest first. */
export async function runsStartedByEvents(
  db: Database,
  eventIds: string[],
): Promise<Array<LinkedRun & { event_id: string }>> {
  if (eventIds.length === 0) return [];
  return db.query(
    `select r.run_id, r.function_id, r.status, e.id as event_id from jsonb_array_elements_text($1::jsonb) as e(id)
     join runs r on r.event_id = e.id or r.batch_event_ids @> jsonb_build_array(e.id) order by r.started_at`,
    [JSON.stringify(eventIds)],
  );
}
