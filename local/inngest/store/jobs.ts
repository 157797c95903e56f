import type { Database } from "./database";
import type { JobRow } from "../types";

// The queue's rows: every due thing the executor works through (requests, wake-ups, timeouts, crons, held runs).

export interface EnqueueInput {
  runId: string | null;
  kind: string;
  dueAt: number;
  stepId?: string;
  attempt?: number;
  payload?: unknown;
  dedupeKey?: string;
}

/** Queues a job; returns its id, or null when a job with the same dedupe key is already queued. */
export async function enqueue(tx: Database, job: EnqueueInput): Promise<number | null> {
  const [queued] = await tx.query<{ id: number }>(
    `insert into jobs (run_id, kind, step_id, attempt, due_at, payload, dedupe_key, concurrency_keys)
     select $1::text, $2::text, $3::text, $4::int, $5::float8, $6::jsonb, $7::text,
       case when $2 in ('step', 'discovery') then (select concurrency_keys from runs where run_id = $1) end
     on conflict (dedupe_key) do nothing returning id`,
    [
      job.runId,
      job.kind,
      job.stepId ?? null,
      job.attempt ?? 0,
      job.dueAt,
      job.payload === undefined ? null : JSON.stringify(job.payload),
      job.dedupeKey ?? null,
    ],
  );
  return queued?.id ?? null;
}

/**
 * Takes a queued job out of the queue in the caller's transaction and returns its payload, or null when it is
 * gone (the run ended, the wait was skipped) or, with `dueBy`, was moved later meanwhile.
 */
export async function takeJob<P>(
  tx: Database,
  id: number,
  dueBy: number | null = null,
): Promise<{ payload: P } | null> {
  const [taken] = await tx.query<{ payload: P }>(
    "delete from jobs where id = $1 and ($2::float8 is null or due_at <= $2) returning payload",
    [id, dueBy],
  );
  return taken ?? null;
}

/**
 * Takes a run's job like `takeJob`, first locking the run's row until the transaction ends, so that answers for
 * the same run (parallel steps finishing together, a checkpoint) are applied one after another. On a server with
 * several connections, two of them could otherwise each see the other's step as still pending and neither
 * would ask for the next step.
 */
export async function takeRunJob<P>(tx: Database, id: number, runId: string): Promise<{ payload: P } | null> {
  const [taken] = await tx.query<{ payload: P }>(
    `with locked as (select run_id from runs where run_id = $2 for update)
     delete from jobs where id = $1 and exists (select 1 from locked) returning payload`,
    [id, runId],
  );
  return taken ?? null;
}

export async function deleteJob(db: Database, id: number) {
  await db.query("delete from jobs where id = $1", [id]);
}

export async function jobPayload<P>(db: Database, id: number): Promise<P | undefined> {
  const [row] = await db.query<{ payload: P }>("select payload from jobs where id = $1", [id]);
  return row?.payload;
}

/** Drops a run's queued job of one kind (for one step, when given): a timeout that no longer applies. */
export async function dropRunJobs(tx: Database, runId: string, kind: string, stepId?: string) {
  await tx.query("delete from jobs where run_id = $1 and kind = $2 and ($3::text is null or step_id = $3)", [
    runId,
    kind,
    stepId ?? null,
  ]);
}

/** Whether any planned step of the run is still queued (parallel steps). */
export async function hasQueuedStep(tx: Database, runId: string): Promise<boolean> {
  return (await tx.query("select 1 from jobs where run_id = $1 and kind = 'step' limit 1", [runId])).length > 0;
}

/**
 * Due jobs to start, oldest first, without the ones already leased and without requests whose concurrency keys
 * are all taken, so that however many wait behind one key, everything else due is still found (Inngest keeps a
 * backlog per key). A request carries its run's keys (copied when it is queued), so skipping a full key's
 * backlog reads only the queue, not the runs. Only what the pump needs: a job's payload is read when it runs.
 */
export async function claimableJobs(
  db: Database,
  input: { now: number; leased: Iterable<number>; limit: number; saturatedKeys: string[] },
): Promise<Array<JobRow & { concurrency_keys: string[] | null }>> {
  return db.query(
    `select id, run_id, kind, step_id, attempt, due_at, concurrency_keys from jobs
     where due_at <= $1 and id <> all(string_to_array($2, ',')::bigint[])
       and (concurrency_keys is null or not concurrency_keys ?| string_to_array($4, chr(31)))
     order by due_at, id limit $3`,
    [input.now, [...input.leased].join(","), input.limit, input.saturatedKeys.join("\u001f")],
  );
}

export async function hasDueJobs(db: Database, now: number): Promise<boolean> {
  const [row] = await db.query<{ n: number }>("select count(*)::int as n from jobs where due_at <= $1", [now]);
  return row!.n > 0;
}

/** When the next job falls due, or null with an empty queue. */
export async function nextDueAt(db: Database): Promise<number | null> {
  const [next] = await db.query<{ due_at: number | null }>("select min(due_at) as due_at from jobs");
  return next?.due_at ?? null;
}

export interface CronJob {
  id: number;
  due_at: number;
  payload: { functionId: string; cron: string };
}

export async function cronJobs(db: Database): Promise<CronJob[]> {
  return db.query<CronJob>("select id, due_at, payload from jobs where kind = 'cron' order by due_at");
}

/** A held job (debounce, batch) by its dedupe key, locked until the transaction ends. */
export async function lockHeldJob<P>(tx: Database, dedupeKey: string): Promise<{ id: number; payload: P } | undefined> {
  const [held] = await tx.query<{ id: number; payload: P }>(
    "select id, payload from jobs where dedupe_key = $1 for update",
    [dedupeKey],
  );
  return held;
}

/** Replaces a held job's payload and, when given, moves it to a new due time. */
export async function updateHeldJob(tx: Database, id: number, payload: unknown, dueAt?: number) {
  await tx.query("update jobs set payload = $2, due_at = coalesce($3::float8, due_at) where id = $1", [
    id,
    JSON.stringify(payload),
    dueAt ?? null,
  ]);
}

/**
 * The run a request (`qi_id`) belongs to, while that request is still queued: null once it was answered,
 * cancelled or replaced.
 */
export async function requestStillQueued(
  tx: Database,
  jobId: number,
  runId: string,
): Promise<{ status: string } | null> {
  const [current] = await tx.query<{ status: string }>(
    "select r.status from jobs j join runs r on r.run_id = j.run_id where j.id = $1 and j.run_id = $2",
    [jobId, runId],
  );
  return current ?? null;
}

export async function resetAttempts(tx: Database, jobId: number) {
  await tx.query("update jobs set attempt = 0 where id = $1", [jobId]);
}

/** Makes a step's wait (sleep, waitForEvent timeout, retry back-off) due now; false when it is not waiting. */
export async function makeStepWaitDue(db: Database, runId: string, stepId: string, now: number): Promise<boolean> {
  const woken = await db.query(
    "update jobs set due_at = $3 where run_id = $1 and step_id = $2 and kind in ('resume', 'pause-timeout', 'step') returning id",
    [runId, stepId, now],
  );
  return woken.length > 0;
}
