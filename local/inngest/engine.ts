import { applyOutcome, endingOf, type ApplyContext } from "./apply-outcome";
import { AnswerBatch } from "./answer-batch";
import type { RetryPolicy } from "./backoff";
import { recordAsyncCheckpoint, type AsyncCheckpoint, type CheckpointResult } from "./checkpoint";
import type { Clock } from "./clock";
import { fireCron, nextCronFires, scheduleCrons } from "./cron-schedule";
import { discoverWhenParallelStepsDone } from "./discovery";
import { parseDurationMs } from "./durations";
import type { BatchPayload } from "./flow-control/batch";
import type { DebouncePayload } from "./flow-control/debounce";
import { performGatewayRequest, type GatewayPayload } from "./gateway";
import { ingestEvents } from "./ingest";
import { maxAttempts, type FunctionRegistry } from "./registry";
import { GroupCommit } from "./group-commit";
import { finishRun, startRun } from "./runs";
import { callSdk } from "./sdk-request";
import type { Database } from "./store/database";
import {
  claimableJobs,
  deleteJob,
  enqueue,
  hasDueJobs,
  jobPayload,
  nextDueAt,
  takeJob,
  takeRunJob,
} from "./store/jobs";
import { findRun, findRunsWithMemo, markRunExecuting, type RunWithMemo } from "./store/runs";
import { copyStepsBefore, hasStep, saveStep } from "./store/steps";
import type { InngestEvent, JobRow, RunRow } from "./types";
import { expirePause, resumeStep } from "./waits";

const MAX_PARALLEL_REQUESTS = 64;

export type RerunResult = { runId: string } | { error: string; status: 400 | 404 | 409 };
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
  private readonly answers: GroupCommit;
  private readonly batch: AnswerBatch;

  constructor(private readonly options: EngineOptions) {
    options.clock.onAdvance(() => this.wake());
    this.batch = new AnswerBatch((tx) => this.context(tx));
    this.answers = new GroupCommit(options.db, (tx) => this.batch.beforeCommit(tx));
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

  /**
   * Starts a run again with the same event, as a rerun: it always starts (no idempotency, no rate limit). With
   * `fromStep`, a rerun from that step, as Inngest's (`reconstruct` in pkg/execution/executor): the new run is
   * given the results of the steps the original finished before that one, in the order they finished, so the SDK
   * replays them without running them, and runs the step and everything after it; with `input`, that step runs
   * with it as its arguments instead of its own (Inngest's step inputs). A step the run never had is a bad
   * request, and nothing is started.
   */
  async rerun(runId: string, fromStep?: string, input?: unknown[]): Promise<RerunResult> {
    const result = await this.options.db.transaction(async (tx): Promise<RerunResult> => {
      const run = await findRun(tx, runId);
      if (!run) return { error: `No run ${runId}`, status: 404 };
      const fn = this.options.registry.get(run.function_id);
      if (!fn) return { error: `No function "${run.function_id}" is synced`, status: 404 };
      if (fromStep !== undefined && !(await hasStep(tx, runId, fromStep)))
        return { error: `Run ${runId} has no step "${fromStep}" to rerun from`, status: 400 };
      const event = { ...run.event, internalId: run.event_id ?? undefined };
      const origin = fromStep === undefined ? { runId } : { runId, fromStep, ...(input ? { input } : {}) };
      const newRunId = await startRun(this.context(tx), { fn, event, events: run.events, rerun: true, origin });
      if (!newRunId) return { error: `The rerun of ${runId} was skipped by its function's flow control`, status: 409 };
      if (fromStep !== undefined)
        await copyStepsBefore(tx, { fromRunId: runId, toRunId: newRunId, fromStep, now: this.options.clock.now() });
      return { runId: newRunId };
    });
    this.wake();
    return result;
  }

  /** Records the steps an SDK checkpointed while the request `qi_id` is still out (see checkpoint.ts). */
  async checkpoint(runId: string, input: AsyncCheckpoint): Promise<CheckpointResult> {
    const { clock } = this.options;
    return this.options.db.transaction((tx) =>
      recordAsyncCheckpoint(tx, runId, input, clock.now(), (ms) => clock.fromRealTime(ms)),
    );
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

  /** What the modules that change runs are handed instead of the engine itself: the transaction and the services. */
  private context(tx: Database): ApplyContext {
    return {
      tx,
      clock: this.options.clock,
      registry: this.options.registry,
      retry: this.options.retry,
      emit: async (inner, events) => void (await ingestEvents(this.context(inner), events)),
    };
  }

  private hasDueJobs(): Promise<boolean> {
    return hasDueJobs(this.options.db, this.options.clock.now());
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
    // A few more than the free slots, so that jobs waiting for a concurrency slot do not hold up the others.
    const limit = free + CONCURRENCY_LOOKAHEAD;
    const due = await claimableJobs(this.options.db, {
      now: this.options.clock.now(),
      leased: this.leased,
      limit,
      saturatedKeys: this.saturatedKeys(),
    });
    const starting: Array<{ job: JobRow; keys: string[] }> = [];
    let blocked = false;
    for (const job of due) {
      if (this.inFlight.size + starting.length >= MAX_PARALLEL_REQUESTS) break;
      if (this.leased.has(job.id)) continue; // leased inline after this query was sent
      const keys = isRequest(job) ? (job.concurrency_keys ?? []) : [];
      if (!this.takeConcurrency(keys)) {
        blocked = true;
        continue;
      }
      this.leased.add(job.id);
      starting.push({ job, keys });
    }
    // A key this batch filled can hide everything due behind its waiting jobs (the query read only `limit` of
    // them): read the queue again now that the key is known to be full, rather than at the next wake-up.
    if (blocked && due.length === limit && this.inFlight.size + starting.length < MAX_PARALLEL_REQUESTS)
      this.pumpAgain = true;
    // The runs of the requests about to go out, read together rather than one round trip each; a request that
    // finds nothing here (the read failed) reads its run itself.
    const requestRunIds = starting.filter(({ job }) => isRequest(job)).map(({ job }) => job.run_id!);
    const runs =
      requestRunIds.length > 0
        ? await findRunsWithMemo(this.options.db, requestRunIds).catch(() => new Map<string, RunWithMemo>())
        : new Map<string, RunWithMemo>();
    for (const { job, keys } of starting) {
      const work = this.runJob(job, runs.get(job.run_id ?? ""))
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
    const next = await nextDueAt(this.options.db);
    if (next === null) return;
    const delay = Math.max(0, Math.min(next - this.options.clock.now(), 60_000));
    this.wakeTimer = setTimeout(() => this.wake(), delay);
  }

  private async runJob(job: JobRow, run: RunWithMemo | undefined) {
    switch (job.kind) {
      case "discovery":
      case "step":
        return this.requestSdkAndFollowOn(job, run);
      case "resume":
        return this.transaction(async (tx, now) => {
          const claimed = await takeJob<{ stepId: string; op: string; state: unknown }>(tx, job.id);
          if (claimed) await resumeStep(tx, job.run_id!, claimed.payload, now); // else skipped or cancelled meanwhile
        });
      case "pause-timeout":
        return this.transaction(async (tx, now) => {
          await deleteJob(tx, job.id);
          await expirePause(tx, job.run_id!, job.step_id!, now);
        });
      case "cron":
        return this.options.db.transaction((tx) => fireCron(this.context(tx), job));
      case "gateway":
        return this.runGateway(job);
      case "debounce":
      case "batch":
        return this.startHeldRun(job);
      case "timeout-start":
      case "timeout-finish":
        return this.transaction(async (tx) => {
          await deleteJob(tx, job.id);
          const run = await findRun(tx, job.run_id!);
          // A run that has begun executing is past its start timeout; the finish timeout ends it either way.
          if (run?.status === "Running" && (job.kind === "timeout-finish" || run.executing_since === null))
            await finishRun(this.context(tx), run, { status: "Cancelled" });
        });
      default:
        await deleteJob(this.options.db, job.id);
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
    const queued = await jobPayload<GatewayPayload>(this.options.db, job.id);
    if (!queued) return;
    const startedAt = this.options.clock.now();
    const state = await performGatewayRequest(queued);
    await this.transaction(async (tx, now) => {
      if (!(await takeRunJob(tx, job.id, job.run_id!))) return;
      const { op } = queued;
      await saveStep(tx, job.run_id!, op.id, {
        op: op.op,
        state,
        now,
        name: op.name,
        displayName: op.displayName,
        startedAt,
        error: "error" in state ? state.error : undefined,
      });
      await discoverWhenParallelStepsDone(tx, job.run_id!, now);
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

  /** Keeps exactly one pending fire per cron trigger of the synced functions. */
  async scheduleCrons() {
    await this.options.db.transaction((tx) => scheduleCrons(this.context(tx)));
    this.wake();
  }

  /** The next fire time of each cron trigger, for the dashboard and the API. */
  nextCronFires() {
    return nextCronFires(this.options.db);
  }

  /**
   * Works through a run's requests one after another while each answer leads straight to the next discovery
   * request (sequential steps): the follow-up is queued durably as usual, but leased to this worker and sent at
   * once instead of waiting for the pump to find it.
   */
  private async requestSdkAndFollowOn(first: JobRow, firstRun: RunWithMemo | undefined) {
    let job: JobRow | null = first;
    while (job && this.running) {
      const current: JobRow = job;
      try {
        job = await this.requestSdk(current, current === first ? firstRun : undefined);
      } finally {
        if (current !== first) this.leased.delete(current.id);
      }
    }
    if (job) this.leased.delete(job.id); // stopping: it stays queued for the next start
  }

  private async requestSdk(job: JobRow, loaded: RunWithMemo | undefined): Promise<JobRow | null> {
    const { db, clock, registry } = this.options;
    const row = loaded ?? (await findRunsWithMemo(db, [job.run_id!])).get(job.run_id!);
    const run: RunRow | undefined = row;
    if (!run || run.status !== "Running") {
      await deleteJob(db, job.id);
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
    const pendingInput = replacedInput(run, stack);
    const body = {
      event: run.event,
      events: run.events,
      steps: { ...pendingInput, ...Object.fromEntries(steps.map((step) => [step.step_id, step.state])) },
      ctx: {
        run_id: run.run_id,
        attempt: job.attempt,
        max_attempts: attempts,
        disable_immediate_execution: run.force_plan,
        use_api: false,
        // With these the SDK checkpoints: it runs steps one after another in this request and records each at
        // /v1/checkpoint/:runId/async (see checkpoint.ts). The function's slug stands for Inngest's internal id.
        // Not while a step waits to run with a replaced input: SDK 4.24's checkpointing mode resumes such a step
        // with no result instead of running it; the plain mode runs it with the input.
        ...(this.options.checkpointing && !pendingInput ? { fn_id: fn.config.id, qi_id: String(job.id) } : {}),
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
      await this.answers.run(async (tx) => {
        const now = clock.now();
        // Applied again on its own if the group it was committed with failed (see group-commit.ts).
        if (nextId) this.leased.delete(nextId);
        nextId = null;
        const ending = endingOf({ job, outcome, attempts, stepCount: steps.length, stateBytes: outcome.requestBytes });
        if (ending) return this.batch.holdEnding(tx, { job, run, outcome: ending });
        await this.batch.applyHeldEndings(tx);
        const taken = await takeRunJob<{ parallelMode?: string } | null>(tx, job.id, run.run_id);
        if (!taken) return; // cancelled or finished while the request was out
        nextId = await applyOutcome(this.batch.contextFor(tx), {
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
      await markRunExecuting(tx, run.run_id, now);
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
}

/** Jobs that are requests to the SDK: they count against concurrency and need their run's state. */
function isRequest(job: JobRow): boolean {
  return job.kind === "step" || job.kind === "discovery";
}

/**
 * A rerun from a step with a new input: until that step has run (it is not in the run's stack of finished steps),
 * the SDK is sent `{ input }` as its state, which it runs the step with (as Inngest sends a rerun's step inputs)
 * rather than treating it as done. Undefined otherwise.
 */
function replacedInput(run: RunRow, stack: string[]): Record<string, { input: unknown[] }> | undefined {
  const { fromStep, input } = run.origin ?? {};
  return fromStep && input && !stack.includes(fromStep) ? { [fromStep]: { input } } : undefined;
}
