import { expressionMatches } from "./cel";
import { parseDurationMs } from "./durations";
import { ulid } from "./ids";
import { addToBatch } from "./flow-control/batch";
import { debounceEvent } from "./flow-control/debounce";
import { eventNameMatches, type FunctionRegistry, type RegisteredFunction } from "./registry";
import { enqueue, finishRun, saveStep, startRun, type RunStartContext } from "./runs";
import type { InngestEvent, RunRow } from "./types";

const DAY_MS = 86_400_000;
const DEFAULT_CANCEL_WINDOW_MS = 365 * DAY_MS;

export interface IngestContext extends RunStartContext {
  registry: FunctionRegistry;
}

/**
 * Takes events in: stores them, ignores a repeated event `id` seen in the last 24 h, starts the runs their
 * triggers match, wakes the waitForEvent steps they satisfy and cancels the runs they cancel. Everything
 * happens in the caller's transaction. Returns the internal id of each event, in order.
 */
export async function ingestEvents(ctx: IngestContext, events: InngestEvent[]): Promise<string[]> {
  const ids: string[] = [];
  for (const event of events) ids.push(await ingestOne(ctx, event));
  return ids;
}

async function ingestOne(ctx: IngestContext, incoming: InngestEvent): Promise<string> {
  const { tx, clock } = ctx;
  const now = clock.now();
  const internalId = ulid(now);
  const event: InngestEvent = { ...incoming, data: incoming.data ?? {}, ts: incoming.ts ?? now };

  if (event.id) {
    const seen = await tx.query<{ internal_id: string }>(
      "select internal_id from events where id = $1 and received_at > $2 limit 1",
      [event.id, now - DAY_MS],
    );
    if (seen.length > 0) return seen[0]!.internal_id;
  }
  // Storing the event and finding the waitForEvent steps it may satisfy is one round trip: most events wake nothing.
  const pauses = await tx.query<WaitingPause>(
    `with stored as (insert into events (internal_id, id, name, payload, received_at) values ($1, $2, $3, $4, $5))
     select p.id, p.run_id, p.step_id, p.expression, r.event from pauses p join runs r on r.run_id = p.run_id
     where p.kind = 'wait' and p.event_name = $3 and p.expires_at > $5 and r.status = 'Running' order by p.id`,
    [internalId, event.id ?? null, event.name, JSON.stringify(event), now],
  );

  for (const fn of ctx.registry.all()) {
    const triggered = fn.config.triggers.some(
      (trigger) =>
        trigger.event &&
        eventNameMatches(trigger.event, event.name) &&
        expressionMatches(trigger.expression, { event }),
    );
    if (triggered) await admitEvent(ctx, fn, { ...event, internalId }, now);
  }
  await resumeWaitingSteps(ctx, pauses, event, now);
  await cancelMatchingRuns(ctx, event, now);
  return internalId;
}

/** Starts a run for a triggering event, or holds the event back for a debounced or batched function. */
async function admitEvent(
  ctx: IngestContext,
  fn: RegisteredFunction,
  event: InngestEvent & { internalId: string },
  now: number,
) {
  if (fn.config.debounce) return debounceEvent(ctx.tx, fn, event, now);
  if (fn.config.batchEvents) {
    const full = await addToBatch(ctx.tx, fn, event, now);
    if (full) await startRun(ctx, { fn, event: full[0]!, events: full });
    return;
  }
  await startRun(ctx, { fn, event });
}

interface WaitingPause {
  id: number;
  run_id: string;
  step_id: string;
  expression: string | null;
  event: InngestEvent;
}

async function resumeWaitingSteps(ctx: IngestContext, pauses: WaitingPause[], event: InngestEvent, now: number) {
  for (const pause of pauses) {
    if (!expressionMatches(pause.expression ?? undefined, { event: pause.event, async: event })) continue;
    const claimed = await ctx.tx.query("delete from pauses where id = $1 returning id", [pause.id]);
    if (claimed.length === 0) continue;
    await saveStep(ctx.tx, pause.run_id, pause.step_id, { op: "WaitForEvent", state: { data: event }, now });
    await ctx.tx.query("delete from jobs where run_id = $1 and kind = 'pause-timeout' and step_id = $2", [
      pause.run_id,
      pause.step_id,
    ]);
    await enqueue(ctx.tx, { runId: pause.run_id, kind: "discovery", dueAt: now });
  }
}

async function cancelMatchingRuns(ctx: IngestContext, event: InngestEvent, now: number) {
  for (const fn of ctx.registry.all()) {
    for (const cancel of fn.config.cancel ?? []) {
      if (!eventNameMatches(cancel.event, event.name)) continue;
      const window = cancel.timeout ? parseDurationMs(cancel.timeout) : DEFAULT_CANCEL_WINDOW_MS;
      const runs = await ctx.tx.query<RunRow>(
        "select * from runs where function_id = $1 and status = 'Running' and started_at > $2",
        [fn.config.id, now - window],
      );
      for (const run of runs) {
        if (expressionMatches(cancel.if, { event: run.event, async: event }))
          await finishRun(ctx, run, { status: "Cancelled" });
      }
    }
  }
}
