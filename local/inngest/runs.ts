import type { Clock } from "./clock";
import type { Database } from "./database";
import { evaluateExpression, evaluateKey } from "./cel";
import { takeRateLimitSlot } from "./flow-control/rate-limit";
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
  /**
   * A rerun from the dashboard or API: Inngest schedules it with the new run id as its idempotency key and
   * without the rate limit (`Rerun` in pkg/devserver/run_provider.go), so it always starts.
   */
  rerun?: boolean;
  /** The rate limit was already applied when the event came in (debounce, which Inngest applies after it). */
  rateLimitApplied?: boolean;
}

/** A run by id, or undefined when there is none. */
export async function findRun(db: Database, runId: string): Promise<RunRow | undefined> {
  const [run] = await db.query<RunRow>("select * from runs where run_id = $1", [runId]);
  return run;
}

/**
 * Creates a run and queues its first request, unless flow control says not to: the run's idempotency key already
 * used in the last 24 h (the `idempotency` expression, else the event's `id`, as Inngest keys runs), a rate limit
 * reached, or a singleton already running in skip mode. Throttle and priority decide when the first request is
 * due; `timeouts.start` cancels a run still queued after it. Returns the run id, or null when the run was skipped.
 */
export async function startRun(ctx: RunStartContext, input: StartRunInput): Promise<string | null> {
  const { tx, clock } = ctx;
  const { config } = input.fn;
  const now = clock.now();
  const context = { event: input.event };
  const runId = ulid(now);

  const idempotencyKey = input.rerun ? null : runIdempotencyKey(input);
  if (idempotencyKey !== null) {
    const claimed = await tx.query(
      `insert into idempotency_keys (key, run_id, expires_at) values ($1, $2, $3)
       on conflict (key) do update set run_id = excluded.run_id, expires_at = excluded.expires_at
       where idempotency_keys.expires_at <= $4 returning key`,
      [`${config.id}:${idempotencyKey}`, runId, now + DAY_MS, now],
    );
    if (claimed.length === 0) return null;
  }

  if (!input.rerun && !input.rateLimitApplied && !(await passesRateLimit(tx, input.fn, input.event, now))) {
    // A rate-limited run was never scheduled, so its key stays free (Inngest checks the limit first).
    if (idempotencyKey !== null) await tx.query("delete from idempotency_keys where run_id = $1", [runId]);
    return null;
  }

  const singletonKey = config.singleton ? `${config.id}:${evaluateKey(config.singleton.key, context)}` : null;
  if (singletonKey) {
    const holders = await tx.query<RunRow>("select * from runs where singleton_key = $1 and status = 'Running'", [
      singletonKey,
    ]);
    if (holders.length > 0 && config.singleton!.mode !== "cancel") return null;
    for (const holder of holders) await finishRun(ctx, holder, { status: "Cancelled" });
  }

  const concurrencyKeys = concurrencyKeysFor(input.fn, context);

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

/**
 * What makes two runs of a function the same run for Inngest (`idempotencyKey` in its executor.go, and
 * `Initialize` in runner.go, which passes the event's `id`): the function's `idempotency` expression, else the
 * triggering event's `id`. A batch of several events has no key of its own here.
 */
function runIdempotencyKey(input: StartRunInput): string | null {
  const { config } = input.fn;
  if (config.idempotency) return `expr:${evaluateKey(config.idempotency, { event: input.event })}`;
  if (input.events && input.events.length > 1) return null;
  return input.event.id ? `event:${input.event.id}` : null;
}

/** Applies the function's rateLimit, if any, to a run about to be scheduled; false means skip it. */
export async function passesRateLimit(tx: Database, fn: RegisteredFunction, event: InngestEvent, now: number) {
  const { rateLimit } = fn.config;
  if (!rateLimit) return true;
  return takeRateLimitSlot(tx, fn.config.id, rateLimit, evaluateKey(rateLimit.key, { event }), now);
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

/**
 * The limits a run's steps count against: scope, the key expression itself and its value, then the limit (read
 * by the queue). Inngest hashes the expression into a custom key, so two expressions that happen to evaluate to
 * the same value are two limits; an env or account scope shares the limit across functions using that expression.
 */
function concurrencyKeysFor(fn: RegisteredFunction, context: { event: InngestEvent }): string[] {
  return concurrencyOptions(fn.config.concurrency).map((option, index) => {
    const shared = option.scope === "env" || option.scope === "account";
    const scope = shared ? `${option.scope}` : `fn:${fn.config.id}`;
    const expression = option.key ?? (shared ? "" : `#${index}`);
    return `${scope}|${expression}|${evaluateKey(option.key, context)}|${option.limit}`;
  });
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

/** Locks a run's row until the transaction ends (see `takeRunJob`). */
export async function lockRun(tx: Database, runId: string) {
  await tx.query("select 1 from runs where run_id = $1 for update", [runId]);
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

  if (run.parent) await resumeInvoker(tx, run, outcome, now);
  await ctx.emit(tx, lifecycleEvents(run, outcome, now));
}

const LIFECYCLE_EVENT_NAMES = new Set(["inngest/function.finished", "inngest/function.failed"]);

/**
 * What Inngest's `finalizeEvents` (pkg/execution/executor/finalize.go) emits when a run ends:
 * `inngest/function.finished` for every ending, cancelled ones included, with `_inngest.status`, plus
 * `inngest/function.failed` or `inngest/function.cancelled` (whose `id` is the run id, so a handler runs once).
 * A run started by one of those events emits nothing, so handlers never trigger themselves.
 */
function lifecycleEvents(
  run: RunRow,
  outcome: { status: "Completed"; output: unknown } | { status: "Failed"; error: unknown } | { status: "Cancelled" },
  now: number,
): InngestEvent[] {
  if (LIFECYCLE_EVENT_NAMES.has(run.event.name)) return [];
  const data: Record<string, unknown> = {
    function_id: run.function_id,
    run_id: run.run_id,
    event: run.event,
    events: run.events,
    _inngest: { status: outcome.status },
  };
  if (outcome.status === "Completed") data.result = outcome.output ?? null;
  if (outcome.status === "Failed") data.error = outcome.error;
  const emitted: InngestEvent[] = [{ name: "inngest/function.finished", data, ts: now }];
  if (outcome.status === "Failed") emitted.push({ id: run.run_id, name: "inngest/function.failed", data, ts: now });
  if (outcome.status === "Cancelled")
    emitted.push({ id: run.run_id, name: "inngest/function.cancelled", data, ts: now });
  return emitted;
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
