import type { Clock } from "./clock";
import type { Database } from "./database";
import { evaluateExpression, evaluateKey } from "./cel";
import { reserveThrottledStart } from "./flow-control/throttle";
import { parseDurationMs } from "./durations";
import { ulid } from "./ids";
import type { RegisteredFunction } from "./registry";
import type { ConcurrencyOption, InngestEvent, RunRow } from "./types";

const DAY_MS = 86_400_000;

export interface RunStartContext {
  tx: Database;
  clock: Clock;
  /** Called for every event a state change emits (function.finished, failed, cancelled). */
  emit: (tx: Database, events: InngestEvent[]) => Promise<void>;
}

export interface StartRunInput {
  fn: RegisteredFunction;
  event: InngestEvent & { internalId?: string };
  events?: Array<InngestEvent & { internalId?: string }>;
  parent?: { runId: string; stepId: string };
}

/** A run by id, or undefined when there is none. */
export async function findRun(db: Database, runId: string): Promise<RunRow | undefined> {
  const [run] = await db.query<RunRow>("select * from runs where run_id = $1", [runId]);
  return run;
}

/**
 * Creates a run and queues its first request, unless flow control says not to: an idempotency key already used
 * in the last 24 h, a rate limit reached, or a singleton already running in skip mode. Throttle and priority
 * decide when the first request is due; `timeouts.start` cancels a run still queued after it. Returns the run
 * id, or null when the run was skipped.
 */
export async function startRun(ctx: RunStartContext, input: StartRunInput): Promise<string | null> {
  const { tx, clock } = ctx;
  const { config } = input.fn;
  const now = clock.now();
  const context = { event: input.event };
  const runId = ulid(now);

  if (config.idempotency) {
    const key = `${config.id}:${evaluateKey(config.idempotency, context)}`;
    const claimed = await tx.query(
      `insert into idempotency_keys (key, run_id, expires_at) values ($1, $2, $3)
       on conflict (key) do update set run_id = excluded.run_id, expires_at = excluded.expires_at
       where idempotency_keys.expires_at <= $4 returning key`,
      [key, runId, now + DAY_MS, now],
    );
    if (claimed.length === 0) return null;
  }

  if (config.rateLimit) {
    const key = evaluateKey(config.rateLimit.key, context);
    const since = now - parseDurationMs(config.rateLimit.period);
    const recent = await tx.query<{ n: number }>(
      `select count(*)::int as n from runs where function_id = $1 and started_at > $2 and coalesce(event->>'_rate_key', '') = $3`,
      [config.id, since, key],
    );
    if (recent[0]!.n >= config.rateLimit.limit) return null;
    input.event = { ...input.event, _rate_key: key } as typeof input.event;
  }

  const singletonKey = config.singleton ? `${config.id}:${evaluateKey(config.singleton.key, context)}` : null;
  if (singletonKey) {
    const holders = await tx.query<RunRow>("select * from runs where singleton_key = $1 and status = 'Running'", [
      singletonKey,
    ]);
    if (holders.length > 0 && config.singleton!.mode !== "cancel") return null;
    for (const holder of holders) await finishRun(ctx, holder, { status: "Cancelled" });
  }

  const concurrencyKeys = concurrencyOptions(config.concurrency).map((option, index) => {
    const value = evaluateKey(option.key, context);
    const scope = option.scope === "env" || option.scope === "account" ? "shared" : config.id;
    return `${scope}|${index}|${value}|${option.limit}`;
  });

  await tx.query(
    `with run as (
       insert into runs (run_id, function_id, event_id, event, events, status, started_at, concurrency_keys, parent, singleton_key, batch_event_ids)
       values ($1, $2, $3, $4, $5, 'Running', $6, $7, $8, $9, $11))
     insert into jobs (run_id, kind, due_at) values ($1, 'discovery', $10)`,
    [
      runId,
      config.id,
      input.event.internalId ?? null,
      JSON.stringify(stripInternal(input.event)),
      JSON.stringify((input.events ?? [input.event]).map(stripInternal)),
      now,
      JSON.stringify(concurrencyKeys),
      input.parent ? JSON.stringify(input.parent) : null,
      singletonKey,
      await firstRequestDueAt(tx, input.fn, context, now),
      // A batched run is listed under each of its events, as Inngest lists it.
      input.events && input.events.length > 1
        ? JSON.stringify(input.events.map((event) => event.internalId).filter(Boolean))
        : null,
    ],
  );
  if (config.timeouts?.start) {
    await enqueue(tx, {
      runId,
      kind: "timeout-start",
      dueAt: now + parseDurationMs(config.timeouts.start),
      dedupeKey: `${runId}:timeout-start`,
    });
  }
  return runId;
}

const PRIORITY_LIMIT_S = 600;

/**
 * When a new run's first request is due: its throttle slot, moved by `priority.run` seconds (clamped to ±600).
 * A positive factor puts the run ahead of work queued up to that long ago; a negative one delays it.
 */
async function firstRequestDueAt(
  tx: Database,
  fn: RegisteredFunction,
  context: { event: InngestEvent },
  now: number,
): Promise<number> {
  const { config } = fn;
  let dueAt = now;
  if (config.throttle) {
    const key = evaluateKey(config.throttle.key, context);
    dueAt = await reserveThrottledStart(tx, config.id, config.throttle, key, now);
  }
  if (config.priority?.run) {
    const factor = Number(evaluateExpression(config.priority.run, context));
    if (Number.isFinite(factor))
      dueAt -= Math.max(-PRIORITY_LIMIT_S, Math.min(PRIORITY_LIMIT_S, Math.trunc(factor))) * 1_000;
  }
  return dueAt;
}

function stripInternal(event: InngestEvent & { internalId?: string }): InngestEvent {
  const { internalId: _internalId, ...rest } = event;
  return rest;
}

export function concurrencyOptions(value: RegisteredFunction["config"]["concurrency"]): ConcurrencyOption[] {
  if (value === undefined || value === null) return [];
  if (typeof value === "number") return value > 0 ? [{ limit: value }] : [];
  return (Array.isArray(value) ? value : [value]).filter((option) => option.limit > 0);
}

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
    `insert into jobs (run_id, kind, step_id, attempt, due_at, payload, dedupe_key) values ($1, $2, $3, $4, $5, $6, $7)
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

/** Ends a run once: records the outcome, drops its queued work and emits the events Inngest emits. */
export async function finishRun(
  ctx: RunStartContext,
  run: RunRow,
  outcome: { status: "Completed"; output: unknown } | { status: "Failed"; error: unknown } | { status: "Cancelled" },
) {
  const { tx, clock } = ctx;
  const now = clock.now();
  // One round trip ends the run and drops its queued work and pauses, only if it was still running.
  const updated = await tx.query(
    `with ended as (
       update runs set status = $2, output = $3, error = $4, ended_at = $5 where run_id = $1 and status = 'Running' returning run_id),
     dropped_jobs as (delete from jobs where run_id in (select run_id from ended)),
     dropped_pauses as (delete from pauses where run_id in (select run_id from ended))
     select run_id from ended`,
    [
      run.run_id,
      outcome.status,
      outcome.status === "Completed" ? JSON.stringify(outcome.output ?? null) : null,
      outcome.status === "Failed" ? JSON.stringify(outcome.error) : null,
      now,
    ],
  );
  if (updated.length === 0) return;

  const base = { function_id: run.function_id, run_id: run.run_id, event: run.event, events: run.events };
  const emitted: InngestEvent[] = [];
  if (outcome.status === "Completed") {
    emitted.push({ name: "inngest/function.finished", data: { ...base, result: outcome.output ?? null }, ts: now });
  } else if (outcome.status === "Failed") {
    emitted.push({ name: "inngest/function.failed", data: { ...base, error: outcome.error }, ts: now });
    emitted.push({ name: "inngest/function.finished", data: { ...base, error: outcome.error }, ts: now });
  } else {
    emitted.push({ name: "inngest/function.cancelled", data: base, ts: now });
  }
  if (run.parent) await resumeInvoker(tx, run, outcome, now);
  await ctx.emit(tx, emitted);
}

/** Hands an invoked run's result to the step.invoke waiting for it, if it has not timed out yet. */
async function resumeInvoker(
  tx: Database,
  run: RunRow,
  outcome: { status: string; output?: unknown; error?: unknown },
  now: number,
) {
  const parent = run.parent!;
  const pause = await tx.query(
    "delete from pauses where run_id = $1 and step_id = $2 and kind = 'invoke' returning id",
    [parent.runId, parent.stepId],
  );
  if (pause.length === 0) return;
  const state =
    outcome.status === "Completed"
      ? { data: outcome.output ?? null }
      : {
          error:
            outcome.status === "Failed"
              ? outcome.error
              : { name: "Error", message: "The invoked function was cancelled" },
        };
  await saveStep(tx, parent.runId, parent.stepId, { op: "InvokeFunction", state, now });
  await tx.query("delete from jobs where run_id = $1 and kind = 'pause-timeout' and step_id = $2", [
    parent.runId,
    parent.stepId,
  ]);
  await enqueue(tx, { runId: parent.runId, kind: "discovery", dueAt: now });
}

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
