import type { Clock } from "./clock";
import type { Database } from "./store/database";
import { evaluateExpression, evaluateKey } from "./cel";
import { takeRateLimitSlot } from "./flow-control/rate-limit";
import { reserveThrottledStart } from "./flow-control/throttle";
import { parseDurationMs } from "./durations";
import { ulid } from "./ids";
import type { RegisteredFunction } from "./registry";
import { claimIdempotencyKey, releaseIdempotencyKeys } from "./store/flow-state";
import { dropRunJobs, enqueue } from "./store/jobs";
import { takePause } from "./store/pauses";
import { endRun, insertRuns, runningRunsOfSingleton, type NewRun, type RunOutcome } from "./store/runs";
import { saveStep } from "./store/steps";
import type { ConcurrencyOption, InngestEvent, RunOrigin, RunRow } from "./types";

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
  /** A rerun's original run, and the step a rerun from a step starts from. */
  origin?: RunOrigin;
  /** The rate limit was already applied when the event came in (debounce, which Inngest applies after it). */
  rateLimitApplied?: boolean;
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
    const key = `${config.id}:${idempotencyKey}`;
    if (!(await claimIdempotencyKey(tx, { key, runId, expiresAt: now + DAY_MS, now }))) return null;
  }

  if (!input.rerun && !input.rateLimitApplied && !(await passesRateLimit(tx, input.fn, input.event, now))) {
    // A rate-limited run was never scheduled, so its key stays free (Inngest checks the limit first).
    if (idempotencyKey !== null) await releaseIdempotencyKeys(tx, runId);
    return null;
  }

  const singletonKey = config.singleton ? `${config.id}:${evaluateKey(config.singleton.key, context)}` : null;
  if (singletonKey) {
    const holders = await runningRunsOfSingleton(tx, singletonKey);
    if (holders.length > 0 && config.singleton!.mode !== "cancel") return null;
    for (const holder of holders) await finishRun(ctx, holder, { status: "Cancelled" });
  }

  const firstRequestAt = await firstRequestDueAt(tx, input.fn, context, now);
  await insertRuns(tx, [newRunRow(input, { runId, now, singletonKey, firstRequestAt })]);
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
 * Whether a run needs nothing decided in the database before it starts (no idempotency key, rate limit,
 * singleton, throttle, priority or start timeout), so several such runs can be created in one round trip
 * (`newRunRow`, `insertRuns`): a fan-out of plain runs.
 */
export function startsUnconditionally(input: StartRunInput): boolean {
  const { config } = input.fn;
  return (
    runIdempotencyKey(input) === null &&
    !config.rateLimit &&
    !config.singleton &&
    !config.throttle &&
    !config.priority?.run &&
    !config.timeouts?.start &&
    !config.debounce &&
    !config.batchEvents
  );
}

/** The row of a new run, with its first request due at `firstRequestAt`. */
export function newRunRow(
  input: StartRunInput,
  row: { runId: string; now: number; singletonKey: string | null; firstRequestAt: number },
): NewRun {
  return {
    runId: row.runId,
    functionId: input.fn.config.id,
    eventId: input.event.internalId ?? null,
    event: stripInternal(input.event),
    events: (input.events ?? [input.event]).map(stripInternal),
    startedAt: row.now,
    concurrencyKeys: concurrencyKeysFor(input.fn, { event: input.event }),
    parent: input.parent ?? null,
    singletonKey: row.singletonKey,
    firstRequestAt: row.firstRequestAt,
    // A batched run is listed under each of its events, as Inngest lists it.
    origin: input.origin ?? null,
    batchEventIds:
      input.events && input.events.length > 1
        ? input.events.map((event) => event.internalId).filter((id): id is string => Boolean(id))
        : null,
  };
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

/** Ends a run once: records the outcome, drops its queued work and emits the events Inngest emits. */
export async function finishRun(ctx: RunStartContext, run: RunRow, outcome: RunOutcome) {
  const { tx, clock } = ctx;
  const now = clock.now();
  if (await endRun(tx, run.run_id, outcome, now)) await runEnded(ctx, run, outcome, now);
}

/** What follows a run's ending, once it is recorded: its invoker resumes and the ending's events go out. */
export async function runEnded(ctx: RunStartContext, run: RunRow, outcome: RunOutcome, now: number) {
  if (run.parent) await resumeInvoker(ctx.tx, run, outcome, now);
  await ctx.emit(ctx.tx, lifecycleEvents(run, outcome, now));
}

const LIFECYCLE_EVENT_NAMES = new Set(["inngest/function.finished", "inngest/function.failed"]);

/**
 * What Inngest's `finalizeEvents` (pkg/execution/executor/finalize.go) emits when a run ends:
 * `inngest/function.finished` for every ending, cancelled ones included, with `_inngest.status`, plus
 * `inngest/function.failed` or `inngest/function.cancelled` (whose `id` is the run id, so a handler runs once).
 * A run started by one of those events emits nothing, so handlers never trigger themselves.
 */
function lifecycleEvents(run: RunRow, outcome: RunOutcome, now: number): InngestEvent[] {
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
  if ((await takePause(tx, parent.runId, parent.stepId, "invoke")) === null) return;
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
  await dropRunJobs(tx, parent.runId, "pause-timeout", parent.stepId);
  await enqueue(tx, { runId: parent.runId, kind: "discovery", dueAt: now });
}
