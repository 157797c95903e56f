import { retryDelayMs, type RetryPolicy } from "./backoff";
import { recordAsyncCheckpoint, type AsyncCheckpoint, type CheckpointResult } from "./checkpoint";
import type { Clock } from "./clock";
import { nextCronFire } from "./cron";
import type { Database } from "./database";
import { parseDurationMs, pauseExpiry, wakeTimeFor } from "./durations";
import type { BatchPayload } from "./flow-control/batch";
import type { DebouncePayload } from "./flow-control/debounce";
import { ingestEvents, type IngestContext } from "./ingest";
import { maxAttempts, type FunctionRegistry } from "./registry";
import { enqueue, findRun, finishRun, markStepWaiting, saveStep, startRun, takeJob, takeRunJob } from "./runs";
import { performGatewayRequest, type GatewayPayload } from "./gateway";
import { MAX_RUN_STATE_BYTES, MAX_STEPS_PER_RUN, stateOverflowError, stepLimitError } from "./limits";
import { callSdk, type SdkOutcome } from "./sdk-request";
import type { InngestEvent, JobRow, OutgoingOp, RunRow } from "./types";

async function scheduleCron(tx: Database, functionId: string, cron: string, afterMs: number) {
  const next = nextCronFire(cron, afterMs);
  if (next === null) return;
  await enqueue(tx, {
    runId: null,
    kind: "cron",
    dueAt: next,
    payload: { functionId, cron },
    dedupeKey: `cron:${functionId}:${cron}:${next}`,
  });
}
const MAX_PARALLEL_REQUESTS = 32;
const CONCURRENCY_LOOKAHEAD = 32;

export interface EngineOptions {
  db: Database;
  clock: Clock;
  registry: FunctionRegistry;
  retry: RetryPolicy;
  signingKey?: string;
  /** Send what the SDK needs to checkpoint (see checkpoint.ts). */
  checkpointing: boolean;
  log: (line: string) => void;
}

/**
 * Runs functions: a queue of due jobs (discovery and step requests, wake-ups, timeouts, crons) in Postgres,
 * worked through by calling the SDK and applying each answer in one transaction (docs/inngest-protocol.md, section 4).
 */
export class Engine {
  private inFlight = new Map<number, Promise<void>>();
  /** Jobs being worked on: those claimed by the pump and the follow-up requests a worker took on inline. */
  private leased = new Set<number>();
  private concurrencyInUse = new Map<string, number>();
  private wakeTimer: NodeJS.Timeout | undefined;
  private running = false;
  private pumping = false;
  private pumpAgain = false;
  private wakeScheduled = false;
  private idleWaiters: Array<() => void> = [];

  constructor(private readonly options: EngineOptions) {
    options.clock.onAdvance(() => this.wake());
  }

  start() {
    this.running = true;
    this.wake();
  }

  async stop() {
    this.running = false;
    clearTimeout(this.wakeTimer);
    await Promise.allSettled(this.inFlight.values());
  }

  /** Accepts events from the Event API, functions (step.sendEvent) or the dashboard. */
  async send(events: InngestEvent[]): Promise<string[]> {
    const ids = await this.options.db.transaction((tx) => ingestEvents(this.context(tx), events));
    this.wake();
    return ids;
  }

  /** Starts one run of a function directly (cron "fire now", dashboard "invoke"). */
  async invoke(functionId: string, event: InngestEvent): Promise<string | null> {
    const fn = this.options.registry.get(functionId);
    if (!fn) throw new Error(`No function "${functionId}" is synced`);
    const runId = await this.options.db.transaction((tx) => startRun(this.context(tx), { fn, event }));
    this.wake();
    return runId;
  }

  /** Starts a run again with the same event, as a rerun: it always starts (no idempotency, no rate limit). */
  async rerun(runId: string): Promise<string | null> {
    const runIdOut = await this.options.db.transaction(async (tx) => {
      const [run] = await tx.query<RunRow>("select * from runs where run_id = $1", [runId]);
      if (!run) return undefined;
      const fn = this.options.registry.get(run.function_id);
      if (!fn) throw new Error(`No function "${run.function_id}" is synced`);
      const event = { ...run.event, internalId: run.event_id ?? undefined };
      return startRun(this.context(tx), { fn, event, events: run.events, rerun: true });
    });
    this.wake();
    return runIdOut ?? null;
  }

  /** Records the steps an SDK checkpointed while the request `qi_id` is still out (see checkpoint.ts). */
  async checkpoint(runId: string, input: AsyncCheckpoint): Promise<CheckpointResult> {
    return this.options.db.transaction((tx) => recordAsyncCheckpoint(tx, runId, input, this.options.clock.now()));
  }

  async cancel(runId: string): Promise<boolean> {
    const cancelled = await this.options.db.transaction(async (tx) => {
      const run = await findRun(tx, runId);
      if (!run || run.status !== "Running") return false;
      await finishRun(this.context(tx), run, { status: "Cancelled" });
      return true;
    });
    this.wake();
    return cancelled;
  }

  /** Resolves when nothing is due now and nothing is in flight (timers set in the future may remain). */
  async waitUntilIdle(): Promise<void> {
    for (;;) {
      if (this.inFlight.size === 0 && !(await this.hasDueJobs())) return;
      await new Promise<void>((resolve) => {
        this.idleWaiters.push(resolve);
        setTimeout(resolve, 50);
      });
    }
  }

  /** Pumps the queue soon; wake-ups in the same turn of the event loop (e.g. several answers arriving) share one. */
  wake() {
    if (!this.running || this.wakeScheduled) return;
    this.wakeScheduled = true;
    clearTimeout(this.wakeTimer);
    setImmediate(() => {
      this.wakeScheduled = false;
      if (this.running) void this.pump();
    });
  }

  private context(tx: Database): IngestContext {
    return {
      tx,
      clock: this.options.clock,
      registry: this.options.registry,
      emit: async (inner, events) => void (await ingestEvents(this.context(inner), events)),
    };
  }

  private async hasDueJobs(): Promise<boolean> {
    const rows = await this.options.db.query<{ n: number }>("select count(*)::int as n from jobs where due_at <= $1", [
      this.options.clock.now(),
    ]);
    return rows[0]!.n > 0;
  }

  private async pump() {
    if (this.pumping) {
      this.pumpAgain = true;
      return;
    }
    this.pumping = true;
    try {
      do {
        this.pumpAgain = false;
        await this.claimDueJobs();
      } while (this.pumpAgain && this.running);
      // While requests are out, each one that finishes pumps again; the timer matters only when idle.
      if (this.inFlight.size === 0) await this.scheduleNextWake();
    } catch (error) {
      this.options.log(`executor queue error: ${error instanceof Error ? error.stack : String(error)}`);
      this.wakeTimer = setTimeout(() => this.wake(), 500);
    } finally {
      this.pumping = false;
    }
    if (this.inFlight.size === 0) for (const resolve of this.idleWaiters.splice(0)) resolve();
  }

  private async claimDueJobs() {
    const free = MAX_PARALLEL_REQUESTS - this.inFlight.size;
    if (free <= 0) return;
    // Only what the pump needs (a job's payload is read when it runs), without the jobs already in flight, and a
    // few more than the free slots so that jobs waiting for a concurrency slot do not hold up the others.
    // Requests of runs whose concurrency keys are all taken are left out in the query itself, so that however
    // many wait behind one key, everything else due is still found (Inngest keeps a backlog per key).
    const due = await this.options.db.query<JobRow & { concurrency_keys: string[] | null }>(
      `select j.id, j.run_id, j.kind, j.step_id, j.attempt, j.due_at, r.concurrency_keys from jobs j left join runs r on r.run_id = j.run_id
       where j.due_at <= $1 and j.id <> all(string_to_array($2, ',')::bigint[])
         and not (j.kind in ('step', 'discovery') and r.concurrency_keys ?| string_to_array($4, chr(31)))
       order by j.due_at, j.id limit $3`,
      [
        this.options.clock.now(),
        [...this.leased].join(","),
        free + CONCURRENCY_LOOKAHEAD,
        this.saturatedKeys().join("\u001f"),
      ],
    );
    for (const job of due) {
      if (this.inFlight.size >= MAX_PARALLEL_REQUESTS) break;
      if (this.leased.has(job.id)) continue; // leased inline after this query was sent
      const keys = job.kind === "step" || job.kind === "discovery" ? (job.concurrency_keys ?? []) : [];
      if (!this.takeConcurrency(keys)) continue;
      this.leased.add(job.id);
      const work = this.runJob(job)
        .catch((error) =>
          this.options.log(
            `job ${job.kind} for run ${job.run_id} failed: ${error instanceof Error ? error.stack : String(error)}`,
          ),
        )
        .finally(() => {
          this.inFlight.delete(job.id);
          this.leased.delete(job.id);
          this.releaseConcurrency(keys);
          this.wake();
        });
      this.inFlight.set(job.id, work);
    }
  }

  private saturatedKeys(): string[] {
    const full: string[] = [];
    for (const [key, used] of this.concurrencyInUse)
      if (used >= Number(key.slice(key.lastIndexOf("|") + 1))) full.push(key);
    return full;
  }

  /** Concurrency is counted on executing steps per key, as Inngest does; a sleeping run holds no slot. */
  private takeConcurrency(keys: string[]): boolean {
    for (const key of keys) {
      const limit = Number(key.slice(key.lastIndexOf("|") + 1));
      if ((this.concurrencyInUse.get(key) ?? 0) >= limit) return false;
    }
    for (const key of keys) this.concurrencyInUse.set(key, (this.concurrencyInUse.get(key) ?? 0) + 1);
    return true;
  }

  private releaseConcurrency(keys: string[]) {
    for (const key of keys) this.concurrencyInUse.set(key, (this.concurrencyInUse.get(key) ?? 1) - 1);
  }

  private async scheduleNextWake() {
    if (!this.running) return;
    const [next] = await this.options.db.query<{ due_at: number }>("select min(due_at) as due_at from jobs");
    if (next?.due_at === null || next?.due_at === undefined) return;
    const delay = Math.max(0, Math.min(next.due_at - this.options.clock.now(), 60_000));
    this.wakeTimer = setTimeout(() => this.wake(), delay);
  }

  private async runJob(job: JobRow) {
    switch (job.kind) {
      case "discovery":
      case "step":
        return this.requestSdkAndFollowOn(job);
      case "resume":
        return this.transaction(async (tx, now) => {
          const claimed = await takeJob<{ stepId: string; op: string; state: unknown }>(tx, job.id);
          if (!claimed) return; // skipped or cancelled meanwhile
          const { payload } = claimed;
          await saveStep(tx, job.run_id!, payload.stepId, { op: payload.op, state: payload.state, now });
          await enqueue(tx, { runId: job.run_id, kind: "discovery", dueAt: now });
        });
      case "pause-timeout":
        return this.transaction(async (tx, now) => {
          await tx.query("delete from jobs where id = $1", [job.id]);
          const pause = await tx.query<{ kind: string }>(
            "delete from pauses where run_id = $1 and step_id = $2 returning kind",
            [job.run_id, job.step_id],
          );
          if (pause.length === 0) return;
          const state =
            pause[0]!.kind === "invoke"
              ? {
                  error: {
                    name: "InngestInvokeTimeoutError",
                    message: "Timed out waiting for invoked function to complete",
                  },
                }
              : { data: null };
          await saveStep(tx, job.run_id!, job.step_id!, {
            op: pause[0]!.kind === "invoke" ? "InvokeFunction" : "WaitForEvent",
            state,
            now,
          });
          await enqueue(tx, { runId: job.run_id, kind: "discovery", dueAt: now });
        });
      case "cron":
        return this.fireCron(job);
      case "gateway":
        return this.runGateway(job);
      case "debounce":
      case "batch":
        return this.startHeldRun(job);
      case "timeout-start":
      case "timeout-finish":
        return this.transaction(async (tx) => {
          await tx.query("delete from jobs where id = $1", [job.id]);
          const [run] = await tx.query<RunRow>("select * from runs where run_id = $1 and status = 'Running'", [
            job.run_id,
          ]);
          // A run that has begun executing is past its start timeout; the finish timeout ends it either way.
          if (run && (job.kind === "timeout-finish" || run.executing_since === null))
            await finishRun(this.context(tx), run, { status: "Cancelled" });
        });
      default:
        await this.options.db.query("delete from jobs where id = $1", [job.id]);
    }
  }

  private async transaction(work: (tx: Database, now: number) => Promise<void>) {
    await this.options.db.transaction((tx) => work(tx, this.options.clock.now()));
  }

  /**
   * step.fetch and step.ai.infer: the executor makes the request (outside any transaction), records the answer
   * as the step's result and asks the SDK for the next step.
   */
  private async runGateway(job: JobRow) {
    const [queued] = await this.options.db.query<{ payload: GatewayPayload }>(
      "select payload from jobs where id = $1",
      [job.id],
    );
    if (!queued) return;
    const startedAt = this.options.clock.now();
    const state = await performGatewayRequest(queued.payload);
    await this.transaction(async (tx, now) => {
      if (!(await takeRunJob(tx, job.id, job.run_id!))) return;
      const { op } = queued.payload;
      await saveStep(tx, job.run_id!, op.id, {
        op: op.op,
        state,
        now,
        name: op.name,
        displayName: op.displayName,
        startedAt,
        error: "error" in state ? state.error : undefined,
      });
      await this.discoverWhenParallelStepsDone(tx, job.run_id!, now);
    });
  }

  /** Starts the run a debounce or a batch held back, once its time has come (a newer event may have moved it). */
  private async startHeldRun(job: JobRow) {
    await this.transaction(async (tx, now) => {
      const held = await takeJob<DebouncePayload | BatchPayload>(tx, job.id, now);
      if (!held) return;
      const fn = this.options.registry.get(held.payload.functionId);
      if (!fn) return;
      const debounced = !("events" in held.payload);
      const events = "events" in held.payload ? held.payload.events : [held.payload.event];
      await startRun(this.context(tx), { fn, event: events[0]!, events, rateLimitApplied: debounced });
    });
  }

  private async fireCron(job: JobRow) {
    await this.transaction(async (tx, now) => {
      const claimed = await takeJob<{ functionId: string; cron: string }>(tx, job.id);
      if (!claimed) return;
      const { payload } = claimed;
      const fn = this.options.registry.get(payload.functionId);
      if (!fn) return;
      const scheduledAt = new Date(job.due_at).toISOString();
      const event: InngestEvent = {
        id: `${payload.functionId}-${scheduledAt}`,
        name: "inngest/scheduled.timer",
        data: { cron: payload.cron, scheduledAt, fireAt: scheduledAt },
        ts: now,
      };
      await startRun(this.context(tx), { fn, event });
      await scheduleCron(tx, payload.functionId, payload.cron, Math.max(job.due_at, now));
    });
  }

  /** Keeps exactly one pending fire per cron trigger of the synced functions; one that fell due while down stays. */
  async scheduleCrons() {
    await this.transaction(async (tx, now) => {
      const wanted = this.options.registry
        .all()
        .flatMap((fn) =>
          fn.config.triggers.filter((t) => t.cron).map((t) => ({ functionId: fn.config.id, cron: t.cron! })),
        );
      const pending = await tx.query<{ id: number; payload: { functionId: string; cron: string } }>(
        "select id, payload from jobs where kind = 'cron'",
      );
      for (const job of pending) {
        if (!wanted.some((w) => w.functionId === job.payload.functionId && w.cron === job.payload.cron)) {
          await tx.query("delete from jobs where id = $1", [job.id]);
        }
      }
      for (const w of wanted) {
        if (!pending.some((job) => job.payload.functionId === w.functionId && job.payload.cron === w.cron)) {
          await scheduleCron(tx, w.functionId, w.cron, now);
        }
      }
    });
    this.wake();
  }

  /** The next fire time of each cron trigger, for the dashboard and the API. */
  async nextCronFires(): Promise<Array<{ functionId: string; cron: string; nextFireAt: number }>> {
    const rows = await this.options.db.query<{ payload: { functionId: string; cron: string }; due_at: number }>(
      "select payload, due_at from jobs where kind = 'cron' order by due_at",
    );
    return rows.map((row) => ({ ...row.payload, nextFireAt: row.due_at }));
  }

  /**
   * Works through a run's requests one after another while each answer leads straight to the next discovery
   * request (sequential steps): the follow-up is queued durably as usual, but leased to this worker and sent at
   * once instead of waiting for the pump to find it.
   */
  private async requestSdkAndFollowOn(first: JobRow) {
    let job: JobRow | null = first;
    while (job && this.running) {
      const current: JobRow = job;
      try {
        job = await this.requestSdk(current);
      } finally {
        if (current !== first) this.leased.delete(current.id);
      }
    }
    if (job) this.leased.delete(job.id); // stopping: it stays queued for the next start
  }

  private async requestSdk(job: JobRow): Promise<JobRow | null> {
    const { db, clock, registry } = this.options;
    const [row] = await db.query<RunRow & { memo: Array<{ id: string; state: unknown }> }>(
      `select r.*, (select coalesce(json_agg(json_build_object('id', s.step_id, 'state', s.state) order by s.ended_at, s.seq), '[]'::json)
         from steps s where s.run_id = r.run_id and s.ended_at is not null) as memo
       from runs r where r.run_id = $1`,
      [job.run_id],
    );
    const run: RunRow | undefined = row;
    if (!run || run.status !== "Running") {
      await db.query("delete from jobs where id = $1", [job.id]);
      return null;
    }
    const fn = registry.get(run.function_id);
    if (!fn) {
      await this.transaction((tx) =>
        finishRun(this.context(tx), run, {
          status: "Failed",
          error: { name: "Error", message: `Function "${run.function_id}" is no longer synced` },
        }),
      );
      return null;
    }
    if (run.executing_since === null && fn.config.timeouts) await this.markExecuting(run, fn.config.timeouts.finish);
    const steps = row!.memo.map((step) => ({ step_id: step.id, state: step.state }));
    const stack = steps.map((step) => step.step_id);
    const attempts = maxAttempts(fn.config);
    const body = {
      event: run.event,
      events: run.events,
      steps: Object.fromEntries(steps.map((step) => [step.step_id, step.state])),
      ctx: {
        run_id: run.run_id,
        attempt: job.attempt,
        max_attempts: attempts,
        disable_immediate_execution: run.force_plan,
        use_api: false,
        // With these the SDK checkpoints: it runs steps one after another in this request and records each at
        // /v1/checkpoint/:runId/async (see checkpoint.ts). The function's slug stands for Inngest's internal id.
        ...(this.options.checkpointing ? { fn_id: fn.config.id, qi_id: String(job.id) } : {}),
        stack: { stack, current: stack.length },
      },
      version: 2,
    };
    const startedAt = clock.now();
    const outcome = await callSdk({
      url: Object.values(fn.config.steps)[0]?.runtime.url ?? fn.appUrl,
      fnId: fn.config.id,
      stepId: job.kind === "step" ? job.step_id! : "step",
      body,
      runId: run.run_id,
      signingKey: this.options.signingKey,
      // Signatures carry the real time: the SDK checks them against its own clock, which the executor's
      // virtual clock (moved forward by tests) does not move.
      signedAtMs: Date.now(),
    });
    let nextId: number | null = null;
    try {
      await this.transaction(async (tx, now) => {
        const taken = await takeRunJob<{ parallelMode?: string } | null>(tx, job.id, run.run_id);
        if (!taken) return; // cancelled or finished while the request was out
        nextId = await this.applyOutcome(tx, {
          run,
          job,
          outcome,
          attempts,
          stepCount: steps.length,
          stateBytes: outcome.requestBytes,
          race: taken.payload?.parallelMode === "race",
          startedAt,
          now,
        });
        // Leased before the commit, so a pump that reads the queue after it skips the job.
        if (nextId) this.leased.add(nextId);
      });
    } catch (error) {
      if (nextId) this.leased.delete(nextId); // never committed
      throw error;
    }
    return nextId
      ? {
          id: nextId,
          run_id: run.run_id,
          kind: "discovery",
          step_id: null,
          attempt: 0,
          due_at: clock.now(),
          payload: null,
        }
      : null;
  }

  /** The run's first request: `timeouts.start` no longer applies and `timeouts.finish` starts counting. */
  private async markExecuting(run: RunRow, finishTimeout: string | undefined) {
    await this.transaction(async (tx, now) => {
      await tx.query("update runs set executing_since = $2 where run_id = $1 and executing_since is null", [
        run.run_id,
        now,
      ]);
      await tx.query("delete from jobs where run_id = $1 and kind = 'timeout-start'", [run.run_id]);
      if (finishTimeout) {
        await enqueue(tx, {
          runId: run.run_id,
          kind: "timeout-finish",
          dueAt: now + parseDurationMs(finishTimeout),
          dedupeKey: `${run.run_id}:timeout-finish`,
        });
      }
    });
  }

  private async applyOutcome(
    tx: Database,
    input: {
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
    },
  ): Promise<number | null> {
    const { run, job, outcome, attempts, now } = input;
    const ctx = this.context(tx);
    if (outcome.kind === "complete") {
      await finishRun(ctx, run, { status: "Completed", output: outcome.output });
      return null;
    }
    if (outcome.kind === "error") {
      if (outcome.retriable && job.attempt + 1 < attempts) {
        const delay = retryDelayMs(job.attempt, this.options.retry, outcome.retryAfter, now);
        await enqueue(tx, {
          runId: run.run_id,
          kind: job.kind,
          stepId: job.step_id ?? undefined,
          attempt: job.attempt + 1,
          dueAt: now + delay,
        });
      } else {
        await finishRun(ctx, run, { status: "Failed", error: outcome.error });
      }
      return null;
    }
    if (input.stepCount + outcome.ops.length > MAX_STEPS_PER_RUN) {
      await finishRun(ctx, run, { status: "Failed", error: stepLimitError() });
      return null;
    }
    if (input.stateBytes + outcome.outputBytes > MAX_RUN_STATE_BYTES) {
      await finishRun(ctx, run, { status: "Failed", error: stateOverflowError() });
      return null;
    }
    if (outcome.ops.length > 1 && !run.force_plan) {
      await tx.query("update runs set force_plan = true where run_id = $1", [run.run_id]);
    }
    let stepFinished = false;
    for (const op of outcome.ops) {
      const finished = await this.applyOp(tx, {
        ...input,
        op,
        noRetry: outcome.noRetry,
        retryAfter: outcome.retryAfter,
      });
      if (finished === "run-finished") return null;
      stepFinished ||= finished === "step-finished";
    }
    const parallel = run.force_plan || outcome.ops.length > 1;
    if (stepFinished && input.race) return this.discoverAtOnce(tx, run.run_id, now);
    return stepFinished ? this.discoverWhenParallelStepsDone(tx, run.run_id, now, parallel) : null;
  }

  /** Applies one op (docs/inngest-protocol.md, section 4). Returns whether a step finished, so the run can move on. */
  private async applyOp(
    tx: Database,
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
    const { run, job, op, now } = input;
    const runId = run.run_id;
    const attemptNumber = job.kind === "step" && job.step_id === op.id ? job.attempt + 1 : 1;
    const names = { name: op.name, displayName: op.displayName };
    switch (op.op) {
      case "StepRun":
        await saveStep(tx, runId, op.id, {
          op: op.opts?.type === "step.sendEvent" ? "SendEvent" : "StepRun",
          state: { data: op.data ?? null },
          now,
          ...names,
          attempts: attemptNumber,
          startedAt: input.startedAt,
        });
        return "step-finished";
      case "StepError": {
        const attempt = job.kind === "step" && job.step_id === op.id ? job.attempt : 0;
        if (!input.noRetry && attempt + 1 < input.attempts) {
          await markStepWaiting(tx, runId, op.id, "StepRun", op.name, op.displayName, input.startedAt);
          await tx.query("update steps set attempts = $3, error = $4 where run_id = $1 and step_id = $2", [
            runId,
            op.id,
            attempt + 1,
            JSON.stringify(op.error ?? null),
          ]);
          const delay = retryDelayMs(attempt, this.options.retry, input.retryAfter, now);
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
        await markStepWaiting(tx, runId, op.id, "StepRun", op.name, op.displayName, now);
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
        await markStepWaiting(tx, runId, op.id, op.op, op.name, op.displayName, now);
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
        await finishRun(this.context(tx), run, {
          status: "Failed",
          error: {
            name: "Error",
            message: `step.waitForSignal("${op.displayName ?? op.id}") is not supported by the local executor: it has no signal API to resume it. Use step.waitForEvent locally, or run against Inngest Cloud or the Inngest dev server.`,
          },
        });
        return "run-finished";
      case "Sleep": {
        const duration = typeof op.opts?.duration === "string" ? op.opts.duration : (op.name ?? "");
        await markStepWaiting(tx, runId, op.id, "Sleep", op.name, op.displayName, now);
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
      case "WaitForEvent": {
        const eventName = typeof op.opts?.event === "string" ? op.opts.event : op.name;
        const expires = await this.expiryOrFail(tx, run, "wait", op, now);
        if (expires === null) return "run-finished";
        await markStepWaiting(tx, runId, op.id, "WaitForEvent", op.name, op.displayName, now);
        const existing = await tx.query("select id from pauses where run_id = $1 and step_id = $2", [runId, op.id]);
        if (existing.length === 0) {
          await tx.query(
            "insert into pauses (run_id, step_id, kind, event_name, expression, expires_at) values ($1, $2, 'wait', $3, $4, $5)",
            [runId, op.id, eventName, (op.opts?.if as string | undefined) ?? null, expires],
          );
          await enqueuePauseTimeout(tx, runId, op.id, expires);
        }
        return "waiting";
      }
      case "InvokeFunction":
        return (await this.invokeChild(tx, run, op, now)) ? "waiting" : "run-finished";
      case "RunComplete":
        await finishRun(this.context(tx), run, { status: "Completed", output: op.data ?? null });
        return "run-finished";
      default:
        await finishRun(this.context(tx), run, {
          status: "Failed",
          error: { name: "Error", message: `The local executor does not support the ${op.op} op` },
        });
        return "run-finished";
    }
  }

  /** The pause's expiry, or null after failing the run when the timeout is not a valid duration or date. */
  private async expiryOrFail(
    tx: Database,
    run: RunRow,
    kind: "wait" | "invoke",
    op: OutgoingOp,
    now: number,
  ): Promise<number | null> {
    try {
      return pauseExpiry(kind, op.opts?.timeout, now);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      await finishRun(this.context(tx), run, { status: "Failed", error: { name: "Error", message } });
      return null;
    }
  }

  /** Starts the invoked run; false when the invoker's run was failed instead (a timeout that does not parse). */
  private async invokeChild(tx: Database, run: RunRow, op: OutgoingOp, now: number): Promise<boolean> {
    const runId = run.run_id;
    await markStepWaiting(tx, runId, op.id, "InvokeFunction", op.name, op.displayName, now);
    const existing = await tx.query("select id from pauses where run_id = $1 and step_id = $2", [runId, op.id]);
    if (existing.length > 0) return true;
    const functionId = String(op.opts?.function_id ?? "");
    const fn = this.options.registry.get(functionId);
    if (!fn) {
      await saveStep(tx, runId, op.id, {
        op: "InvokeFunction",
        state: { error: { name: "Error", message: `No function "${functionId}" to invoke` } },
        now,
      });
      await this.discoverWhenParallelStepsDone(tx, runId, now);
      return true;
    }
    const correlationId = `${runId}.${op.id}`;
    const expires = await this.expiryOrFail(tx, run, "invoke", op, now);
    if (expires === null) return false;
    await tx.query(
      "insert into pauses (run_id, step_id, kind, correlation_id, expires_at) values ($1, $2, 'invoke', $3, $4)",
      [runId, op.id, correlationId, expires],
    );
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
    const childId = await startRun(this.context(tx), { fn, event, parent: { runId, stepId: op.id } });
    if (childId === null) {
      // Skipped by the child's flow control (rate limit, singleton): Inngest fails the invoke rather than let it hang.
      await tx.query("delete from pauses where run_id = $1 and step_id = $2", [runId, op.id]);
      await tx.query("delete from jobs where run_id = $1 and kind = 'pause-timeout' and step_id = $2", [runId, op.id]);
      await saveStep(tx, runId, op.id, {
        op: "InvokeFunction",
        state: {
          error: { name: "Error", message: `The invoked function "${functionId}" was skipped by its flow control` },
        },
        now,
      });
      await this.discoverWhenParallelStepsDone(tx, runId, now);
    }
    return true;
  }

  /** A discovery now, even while other planned steps are still pending (a `group.parallel` race). */
  private async discoverAtOnce(tx: Database, runId: string, now: number): Promise<number | null> {
    return enqueue(tx, { runId, kind: "discovery", dueAt: now, dedupeKey: `${runId}:discovery:${now}` });
  }

  /**
   * One discovery after the last pending planned step finishes; then steps may run inline again (docs/inngest-protocol.md, "Parallel steps and planning").
   * Outside parallel mode no other step can be pending, so the bookkeeping queries are skipped.
   */
  private async discoverWhenParallelStepsDone(
    tx: Database,
    runId: string,
    now: number,
    parallel = true,
  ): Promise<number | null> {
    if (parallel) {
      const pending = await tx.query("select 1 from jobs where run_id = $1 and kind = 'step' limit 1", [runId]);
      if (pending.length > 0) return null;
      await tx.query("update runs set force_plan = false where run_id = $1", [runId]);
    }
    return enqueue(tx, { runId, kind: "discovery", dueAt: now, dedupeKey: `${runId}:discovery:${now}` });
  }
}

/** The job that ends a pause (waitForEvent, invoke) at its timeout, unless an event or a result resumes it first. */
function enqueuePauseTimeout(tx: Database, runId: string, stepId: string, expires: number) {
  return enqueue(tx, { runId, kind: "pause-timeout", stepId, dueAt: expires, dedupeKey: `${runId}:${stepId}:timeout` });
}
