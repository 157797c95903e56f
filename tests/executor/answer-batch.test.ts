import { afterAll, beforeAll, beforeEach, expect, it } from "vitest";
import { AnswerBatch } from "../../local/inngest/answer-batch";
import type { ApplyContext } from "../../local/inngest/apply-outcome";
import { Clock } from "../../local/inngest/clock";
import { FunctionRegistry } from "../../local/inngest/registry";
import { openPglite, type Database } from "../../local/inngest/store/database";
import { endRun, findRun, insertRuns } from "../../local/inngest/store/runs";
import { migrate } from "../../local/inngest/store/schema";
import type { JobRow } from "../../local/inngest/types";

// Answers that end their run are held and ended together: one statement for the group, each run still ended once,
// with its events, and never one whose request was taken (cancelled) before the group got to it.

let db: Database;
const clock = new Clock();
beforeAll(async () => {
  db = await openPglite();
  await migrate(db);
});
afterAll(() => db.close());
beforeEach(async () => {
  await db.query("delete from runs");
  await db.query("delete from jobs");
  await db.query("delete from events");
});

/** A batch as the engine builds it. */
function batchOn() {
  const registry = new FunctionRegistry();
  return new AnswerBatch((tx): ApplyContext => ({ tx, clock, registry, retry: {}, emit: async () => {} }));
}

async function inTransaction(work: (tx: Database, endingStatements: () => number) => Promise<void>) {
  await db.transaction(async (inner) => {
    let endings = 0;
    const tx: Database = {
      query: (text, params) => {
        if (/update runs/.test(text)) endings++;
        return inner.query(text, params);
      },
      transaction: (nested) => nested(tx),
      close: async () => {},
    };
    await work(tx, () => endings);
  });
}

async function startRuns(ids: string[]) {
  const event = { name: "test/start", data: {}, ts: clock.now() };
  await insertRuns(
    db,
    ids.map((runId) => ({
      runId,
      functionId: "fn",
      eventId: null,
      event,
      events: [event],
      startedAt: clock.now(),
      concurrencyKeys: [],
      parent: null,
      singletonKey: null,
      firstRequestAt: clock.now(),
      batchEventIds: null,
    })),
  );
  const jobs = await db.query<JobRow>("select * from jobs order by id");
  return Promise.all(
    ids.map(async (runId) => ({ job: jobs.find((job) => job.run_id === runId)!, run: (await findRun(db, runId))! })),
  );
}

async function lifecycleEvents() {
  return db.query<{ name: string; run_id: string }>(
    "select name, payload->'data'->>'run_id' as run_id from events order by name, run_id",
  );
}

it("ends a group's runs in one statement, each with its outcome and its events", async () => {
  const [a, b, c] = await startRuns(["run-a", "run-b", "run-c"]);
  const batch = batchOn();
  await inTransaction(async (tx, endingStatements) => {
    await batch.holdEnding(tx, { ...a!, outcome: { status: "Completed", output: { n: 1 } } });
    await batch.holdEnding(tx, { ...b!, outcome: { status: "Completed", output: null } });
    await batch.holdEnding(tx, { ...c!, outcome: { status: "Failed", error: { name: "Error", message: "no" } } });
    expect(endingStatements()).toBe(0);
    await batch.beforeCommit(tx);
    expect(endingStatements()).toBe(1);
  });
  const runs = await db.query<{ run_id: string; status: string; output: unknown; error: unknown }>(
    "select run_id, status, output, error from runs order by run_id",
  );
  expect(runs).toEqual([
    { run_id: "run-a", status: "Completed", output: { n: 1 }, error: null },
    { run_id: "run-b", status: "Completed", output: null, error: null },
    { run_id: "run-c", status: "Failed", output: null, error: { name: "Error", message: "no" } },
  ]);
  expect(await db.query("select id from jobs")).toEqual([]);
  expect(await lifecycleEvents()).toEqual([
    { name: "inngest/function.failed", run_id: "run-c" },
    { name: "inngest/function.finished", run_id: "run-a" },
    { name: "inngest/function.finished", run_id: "run-b" },
    { name: "inngest/function.finished", run_id: "run-c" },
  ]);
});

it("leaves a run that was cancelled before its held ending was applied as it was, and emits nothing for it", async () => {
  const [a, b] = await startRuns(["run-a", "run-b"]);
  const batch = batchOn();
  await inTransaction(async (tx) => {
    await batch.holdEnding(tx, { ...a!, outcome: { status: "Completed", output: 1 } });
    await batch.holdEnding(tx, { ...b!, outcome: { status: "Completed", output: 2 } });
    // The next answer in the group cancels run-b: the engine applies what is held first, so run-b completed.
    await batch.applyHeldEndings(tx);
    expect(await endRun(tx, "run-b", { status: "Cancelled" }, clock.now())).toBe(false);
    await batch.beforeCommit(tx);
  });
  const [c] = await startRuns(["run-c"]);
  await inTransaction(async (tx) => {
    await endRun(tx, "run-c", { status: "Cancelled" }, clock.now()); // cancelled while its answer waited
    await batch.holdEnding(tx, { ...c!, outcome: { status: "Completed", output: 3 } });
    await batch.beforeCommit(tx);
  });
  const statuses = await db.query("select run_id, status from runs order by run_id");
  expect(statuses).toEqual([
    { run_id: "run-a", status: "Completed" },
    { run_id: "run-b", status: "Completed" },
    { run_id: "run-c", status: "Cancelled" },
  ]);
  expect((await lifecycleEvents()).filter((event) => event.run_id === "run-c")).toEqual([]);
});

it("ends a run once when two of its requests end it in the same group", async () => {
  const [a] = await startRuns(["run-a"]);
  const [second] = await db.query<JobRow>(
    "insert into jobs (run_id, kind, step_id, due_at) values ('run-a', 'step', 'other', 0) returning *",
  );
  const batch = batchOn();
  await inTransaction(async (tx) => {
    await batch.holdEnding(tx, { ...a!, outcome: { status: "Failed", error: { name: "Error", message: "first" } } });
    await batch.holdEnding(tx, {
      job: second!,
      run: a!.run,
      outcome: { status: "Failed", error: { message: "second" } },
    });
    await batch.beforeCommit(tx);
  });
  const [run] = await db.query<{ error: unknown }>("select error from runs where run_id = 'run-a'");
  expect(run!.error).toEqual({ name: "Error", message: "first" });
  expect(await lifecycleEvents()).toEqual([
    { name: "inngest/function.failed", run_id: "run-a" },
    { name: "inngest/function.finished", run_id: "run-a" },
  ]);
});
