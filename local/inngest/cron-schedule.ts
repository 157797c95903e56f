import { nextCronFire } from "./cron";
import type { IngestContext } from "./ingest";
import { startRun } from "./runs";
import type { Database } from "./store/database";
import { cronJobs, deleteJob, enqueue, takeJob } from "./store/jobs";
import type { InngestEvent, JobRow } from "./types";

// Cron triggers: one queued fire per trigger of the synced functions; firing starts a run and queues the next.

type CronPayload = { functionId: string; cron: string };

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

/** Starts the run of a cron fire that fell due and queues the trigger's next fire. */
export async function fireCron(ctx: IngestContext, job: JobRow) {
  const { tx } = ctx;
  const now = ctx.clock.now();
  const claimed = await takeJob<CronPayload>(tx, job.id);
  if (!claimed) return;
  const { payload } = claimed;
  const fn = ctx.registry.get(payload.functionId);
  if (!fn) return;
  const scheduledAt = new Date(job.due_at).toISOString();
  const event: InngestEvent = {
    id: `${payload.functionId}-${scheduledAt}`,
    name: "inngest/scheduled.timer",
    data: { cron: payload.cron, scheduledAt, fireAt: scheduledAt },
    ts: now,
  };
  await startRun(ctx, { fn, event });
  await scheduleCron(tx, payload.functionId, payload.cron, Math.max(job.due_at, now));
}

/** Keeps exactly one pending fire per cron trigger of the synced functions; one that fell due while down stays. */
export async function scheduleCrons(ctx: IngestContext) {
  const { tx } = ctx;
  const now = ctx.clock.now();
  const wanted = ctx.registry
    .all()
    .flatMap((fn) =>
      fn.config.triggers.filter((t) => t.cron).map((t) => ({ functionId: fn.config.id, cron: t.cron! })),
    );
  const pending = await cronJobs(tx);
  for (const job of pending) {
    if (!wanted.some((w) => w.functionId === job.payload.functionId && w.cron === job.payload.cron)) {
      await deleteJob(tx, job.id);
    }
  }
  for (const w of wanted) {
    if (!pending.some((job) => job.payload.functionId === w.functionId && job.payload.cron === w.cron)) {
      await scheduleCron(tx, w.functionId, w.cron, now);
    }
  }
}

/** The next fire time of each cron trigger, for the dashboard and the API. */
export async function nextCronFires(
  db: Database,
): Promise<Array<{ functionId: string; cron: string; nextFireAt: number }>> {
  return (await cronJobs(db)).map((row) => ({ ...row.payload, nextFireAt: row.due_at }));
}
