/** A function as the SDK syncs it (`FunctionConfig` in the protocol). */
export interface FunctionConfig {
  id: string;
  name: string;
  triggers: Array<{ event?: string; expression?: string; cron?: string }>;
  steps: Record<
    string,
    { id: string; name: string; runtime: { type: string; url: string }; retries?: { attempts: number } }
  >;
  idempotency?: string;
  rateLimit?: { limit: number; period: string; key?: string };
  concurrency?: number | ConcurrencyOption | ConcurrencyOption[];
  debounce?: { period: string; key?: string; timeout?: string };
  throttle?: { limit: number; period: string; burst?: number; key?: string };
  batchEvents?: { maxSize: number; timeout: string; key?: string };
  priority?: { run?: string };
  singleton?: { key?: string; mode: "skip" | "cancel" };
  timeouts?: { start?: string; finish?: string };
  cancel?: Array<{ event: string; if?: string; timeout?: string }>;
}

export interface ConcurrencyOption {
  limit: number;
  key?: string;
  scope?: "fn" | "env" | "account";
}

export interface InngestEvent {
  id?: string;
  name: string;
  data: Record<string, unknown>;
  user?: Record<string, unknown>;
  ts: number;
  v?: string;
}

export type RunStatus = "Running" | "Completed" | "Failed" | "Cancelled";

export interface RunRow {
  run_id: string;
  function_id: string;
  event_id: string | null;
  event: InngestEvent;
  events: InngestEvent[];
  status: RunStatus;
  output: unknown;
  error: unknown;
  started_at: number;
  ended_at: number | null;
  force_plan: boolean;
  concurrency_keys: string[];
  parent: { runId: string; stepId: string } | null;
  singleton_key: string | null;
  /** For a batched run: the internal ids of all its events (`event_id` is the first one's). */
  batch_event_ids: string[] | null;
  /** For functions with `timeouts`: when the first request went to the SDK (start timeout over, finish counting). */
  executing_since: number | null;
  /** For a rerun: the run it reran and, for a rerun from a step, that step (the steps before it were reused). */
  origin: RunOrigin | null;
}

/**
 * Where a rerun came from: the original run and, for a rerun from a step, that step and, when the rerun replaced
 * it, the input (the arguments of `step.run(id, fn, ...input)`) that step runs with instead of its own.
 */
export interface RunOrigin {
  runId: string;
  fromStep?: string;
  input?: unknown[];
}

export interface OutgoingOp {
  id: string;
  op: string;
  name?: string;
  displayName?: string;
  opts?: Record<string, unknown>;
  data?: unknown;
  error?: unknown;
  /** When the SDK ran the step: `a` its start (epoch ns), `b` its duration (ns), as Go's `interval.Interval`. */
  timing?: { a?: number; b?: number };
}

export type JobKind =
  | "discovery"
  | "step"
  | "resume"
  | "cron"
  | "pause-timeout"
  | "debounce"
  | "batch"
  | "gateway"
  | "timeout-start"
  | "timeout-finish";

export interface JobRow {
  id: number;
  run_id: string | null;
  kind: JobKind;
  step_id: string | null;
  attempt: number;
  due_at: number;
  payload: Record<string, unknown> | null;
}

/** A step of a run as the `steps` table keeps it and the API and dashboard show it. */
export interface StepDetail {
  step_id: string;
  op: string;
  name: string | null;
  display_name: string | null;
  state: unknown;
  attempts: number;
  started_at: number | null;
  ended_at: number | null;
  error: unknown;
  /** What the step was started with, as the SDK sent it (`opts`: an invoke's payload, a wait's event and `if`). */
  input: unknown;
  /** For a rerun from a step: the run whose recorded result this step reused instead of running. */
  reused_from: string | null;
}
