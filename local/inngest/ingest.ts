import { expressionMatches } from "./cel";
import { expiryOf } from "./durations";
import { ulid } from "./ids";
import { addToBatch } from "./flow-control/batch";
import { debounceEvent } from "./flow-control/debounce";
import { eventNameMatches, type FunctionRegistry, type RegisteredFunction } from "./registry";
import { enqueue, finishRun, passesRateLimit, saveStep, startRun, type RunStartContext } from "./runs";
import type { InngestEvent, RunRow } from "./types";

export interface IngestContext extends RunStartContext {
  registry: FunctionRegistry;
}

/**
 * Takes events in: stores them, starts the runs their triggers match, wakes the waitForEvent steps they satisfy
 * and cancels the runs they cancel. Everything happens in the caller's transaction. Returns the internal id of
 * each event, in order. An event whose `id` was seen in the last 24 h is still all of that except that it starts
 * no second run of a function (the id is the run's idempotency key, see `startRun`), as in Inngest, where the
 * runner stores, lists and matches pauses and cancellations for every event it receives.
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

/**
 * Starts a run for a triggering event, or holds the event back for a debounced or batched function. The rate
 * limit comes before debounce, as in Inngest's `schedule`: an event over the limit never moves the debounce.
 */
async function admitEvent(
  ctx: IngestContext,
  fn: RegisteredFunction,
  event: InngestEvent & { internalId: string },
  now: number,
) {
  if (fn.config.debounce) {
    if (!(await passesRateLimit(ctx.tx, fn, event, now))) return;
    return debounceEvent(ctx.tx, fn, event, now);
  }
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
      const runs = await ctx.tx.query<RunRow>("select * from runs where function_id = $1 and status = 'Running'", [
        fn.config.id,
      ]);
      for (const run of runs) {
        // The timeout is a duration from the run's start or, when the SDK was given a Date, an ISO time.
        if (cancel.timeout && now > expiryOf(cancel.timeout, run.started_at)) continue;
        if (expressionMatches(cancel.if, { event: run.event, async: event }))
          await finishRun(ctx, run, { status: "Cancelled" });
      }
    }
  }
}
