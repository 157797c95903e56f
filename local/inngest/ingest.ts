import { expressionMatches } from "./cel";
import { expiryOf } from "./durations";
import { ulid } from "./ids";
import { addToBatch } from "./flow-control/batch";
import { debounceEvent } from "./flow-control/debounce";
import { eventNameMatches, type FunctionRegistry, type RegisteredFunction } from "./registry";
import { finishRun, newRunRow, passesRateLimit, startRun, startsUnconditionally, type RunStartContext } from "./runs";
import { storeEventsFindingPauses } from "./store/events";
import { dropRunJobs, enqueue } from "./store/jobs";
import { takePauseById, type WaitingPause } from "./store/pauses";
import { insertRuns, runningRunsOf, type NewRun } from "./store/runs";
import { saveStep } from "./store/steps";
import type { InngestEvent } from "./types";

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
  if (events.length === 0) return [];
  const incoming = events.map((given) => {
    const receivedAt = ctx.clock.now();
    const event: InngestEvent = { ...given, data: given.data ?? {}, ts: given.ts ?? receivedAt };
    return { internalId: ulid(receivedAt), event, receivedAt };
  });
  // Storing every event and finding the waitForEvent steps they may satisfy is one round trip.
  const pauses = await storeEventsFindingPauses(ctx.tx, incoming);
  // Runs that need no flow control are created together; anything that reads runs back first inserts them.
  const plainRuns: NewRun[] = [];
  const insertPlainRuns = () => insertRuns(ctx.tx, plainRuns.splice(0));
  for (const { internalId, event, receivedAt: now } of incoming) {
    for (const fn of ctx.registry.all()) {
      const triggered = fn.config.triggers.some(
        (trigger) =>
          trigger.event &&
          eventNameMatches(trigger.event, event.name) &&
          expressionMatches(trigger.expression, { event }),
      );
      if (!triggered) continue;
      const input = { fn, event: { ...event, internalId } };
      if (startsUnconditionally(input)) {
        plainRuns.push(newRunRow(input, { runId: ulid(now), now, singletonKey: null, firstRequestAt: now }));
      } else {
        await insertPlainRuns();
        await admitEvent(ctx, fn, input.event, now);
      }
    }
    const waiting = pauses.filter((pause) => pause.event_name === event.name && pause.expires_at > now);
    await resumeWaitingSteps(ctx, waiting, event, now);
    if (cancelsAny(ctx.registry, event)) {
      await insertPlainRuns();
      await cancelMatchingRuns(ctx, event, now);
    }
  }
  await insertPlainRuns();
  return incoming.map((e) => e.internalId);
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

async function resumeWaitingSteps(ctx: IngestContext, pauses: WaitingPause[], event: InngestEvent, now: number) {
  for (const pause of pauses) {
    if (!expressionMatches(pause.expression ?? undefined, { event: pause.event, async: event })) continue;
    if (!(await takePauseById(ctx.tx, pause.id))) continue;
    await saveStep(ctx.tx, pause.run_id, pause.step_id, { op: "WaitForEvent", state: { data: event }, now });
    await dropRunJobs(ctx.tx, pause.run_id, "pause-timeout", pause.step_id);
    await enqueue(ctx.tx, { runId: pause.run_id, kind: "discovery", dueAt: now });
  }
}

function cancelsAny(registry: FunctionRegistry, event: InngestEvent): boolean {
  return registry
    .all()
    .some((fn) => (fn.config.cancel ?? []).some((cancel) => eventNameMatches(cancel.event, event.name)));
}

async function cancelMatchingRuns(ctx: IngestContext, event: InngestEvent, now: number) {
  for (const fn of ctx.registry.all()) {
    for (const cancel of fn.config.cancel ?? []) {
      if (!eventNameMatches(cancel.event, event.name)) continue;
      const runs = await runningRunsOf(ctx.tx, fn.config.id);
      for (const run of runs) {
        // The timeout is a duration from the run's start or, when the SDK was given a Date, an ISO time.
        if (cancel.timeout && now > expiryOf(cancel.timeout, run.started_at)) continue;
        if (expressionMatches(cancel.if, { event: run.event, async: event }))
          await finishRun(ctx, run, { status: "Cancelled" });
      }
    }
  }
}
