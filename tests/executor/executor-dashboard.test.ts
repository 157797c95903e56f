import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ExecutorClient } from "../../local/inngest/client";
import type { RunningExecutor } from "../../local/inngest/index";
import { openPglite, type Database } from "../../local/inngest/store/database";
import { migrate } from "../../local/inngest/store/schema";
import { copyStepsBefore, saveStep, stepsOfRun, stepThatSentEvent } from "../../local/inngest/store/steps";
import { runFingerprint } from "../../local/inngest/dashboard/html";
import { timedBySdk } from "../../local/inngest/step-timing";
import { startTestExecutor } from "../../harness/test-stack";
import { createContractApp } from "./contract-app";

// The dashboard's pages, read as HTML from a running executor with the contract app synced: a run's waterfall,
// parent and child runs, the runs an event started (also through step.sendEvent), functions' config, apps' sync
// state; and the store queries behind a rerun from a step.

describe("copying a run's steps for a rerun from a step", () => {
  let db: Database;
  beforeAll(async () => {
    db = await openPglite();
    await migrate(db);
    // Finished in the order b, a, c (parallel steps finish out of order); d still waiting.
    const finish = (id: string, at: number) =>
      saveStep(db, "orig", id, { op: "StepRun", state: { data: id.toUpperCase() }, now: at, startedAt: at - 5 });
    await finish("b", 10);
    await finish("a", 20);
    await finish("c", 30);
    await db.query("insert into steps (run_id, step_id, op, started_at) values ('orig', 'd', 'Sleep', 31)");
  });
  afterAll(() => db.close());

  it("copies the steps finished before the chosen one, in the order they finished, marked as reused", async () => {
    expect(await copyStepsBefore(db, { fromRunId: "orig", toRunId: "rerun-c", fromStep: "c", now: 100 })).toBe(2);
    const copied = await stepsOfRun(db, "rerun-c");
    expect(copied.map((s) => [s.step_id, s.state, s.reused_from, s.ended_at])).toEqual([
      ["b", { data: "B" }, "orig", 100],
      ["a", { data: "A" }, "orig", 100],
    ]);
    expect(await copyStepsBefore(db, { fromRunId: "orig", toRunId: "rerun-b", fromStep: "b", now: 100 })).toBe(0);
  });

  it("copies every finished step when the chosen one never finished", async () => {
    expect(await copyStepsBefore(db, { fromRunId: "orig", toRunId: "rerun-d", fromStep: "d", now: 100 })).toBe(3);
    expect((await stepsOfRun(db, "rerun-d")).map((s) => s.step_id)).toEqual(["b", "a", "c"]);
  });

  it("finds the step.sendEvent step that sent an event by the ids it recorded, never a reused copy", async () => {
    await saveStep(db, "sender", "send", { op: "SendEvent", state: { data: { ids: ["e1", "e2"] } }, now: 5 });
    await copyStepsBefore(db, { fromRunId: "sender", toRunId: "sender-rerun", fromStep: "none", now: 6 });
    expect(await stepThatSentEvent(db, "e2")).toMatchObject({ run_id: "sender", step_id: "send" });
    expect(await stepThatSentEvent(db, "e3")).toBeUndefined();
  });
});

describe("a step's time from the SDK's own timing", () => {
  it("places it on the executor's clock, which runs ahead of real time by however far it was moved", () => {
    const real = 1_000_000;
    const hourAhead = (ms: number) => ms + 3_600_000;
    const op = { id: "s", op: "StepRun", timing: { a: (real - 300) * 1e6, b: 120 * 1e6 } };
    // The clock was moved 1 h ahead: the step started 300 ms ago and took 120 ms, on that clock too.
    expect(timedBySdk(op, hourAhead(real), hourAhead)).toEqual({
      startedAt: hourAhead(real) - 300,
      endedAt: hourAhead(real) - 180,
    });
    expect(timedBySdk({ id: "s", op: "StepRun" }, real, hourAhead)).toBeUndefined();
    // Never after the answer came in, whatever the SDK's clock says.
    expect(timedBySdk({ ...op, timing: { a: (real + 50) * 1e6, b: 10 * 1e6 } }, hourAhead(real), hourAhead)).toEqual({
      startedAt: hourAhead(real),
      endedAt: hourAhead(real),
    });
  });
});

describe("the dashboard's pages", () => {
  let executor: RunningExecutor;
  let client: ExecutorClient;
  let app: ReturnType<typeof createContractApp>;
  let appUrl: string;
  const get = async (path: string) => {
    const response = await fetch(`${executor.url}${path}`);
    return { status: response.status, html: await response.text() };
  };

  beforeAll(async () => {
    executor = await startTestExecutor();
    app = createContractApp(executor.url);
    appUrl = await app.listen();
    expect(await executor.addApp(appUrl)).toMatchObject({ ok: true });
    client = new ExecutorClient(executor.url);
  });
  afterAll(async () => {
    await executor?.stop();
    await app?.close();
  });

  async function runOf(name: string, data: Record<string, unknown>, functionId: string) {
    const [eventId] = await client.sendEvents([{ name, data }]);
    await client.waitUntilIdle();
    const runs = await client.runsForEvent(eventId!);
    return { eventId: eventId!, run: runs.find((r) => r.function_id === functionId)! };
  }

  it("links an invoked run and the step that invoked it, both ways", async () => {
    const { run: parent } = await runOf("test/invoke", {}, "contract-invoker");
    const [child] = (await client.listRuns({ function: "contract-doubler" })).filter((r) => r.status === "Completed");
    const parentPage = (await get(`/runs/${parent.run_id}`)).html;
    expect(parentPage).toContain(`Invoked run <a href="/runs/${child!.run_id}">`);
    const childPage = (await get(`/runs/${child!.run_id}`)).html;
    expect(childPage).toMatch(
      new RegExp(`step.invoke <em>call-doubler</em> of parent run <a href="/runs/${parent.run_id}">`),
    );
  });

  it("links the runs an event sent by step.sendEvent started back to the sending run, and lists events with their runs", async () => {
    const { run: sender } = await runOf("test/fan-out", { n: 2 }, "contract-fan-out");
    const senderPage = (await get(`/runs/${sender.run_id}`)).html;
    const started = [...senderPage.matchAll(/which started <a href="\/runs\/([0-9A-Z]{26})">/g)].map((m) => m[1]!);
    expect(started).toHaveLength(2);
    const childPage = (await get(`/runs/${started[0]}`)).html;
    expect(childPage).toContain(
      `sent by step.sendEvent <em>send-children</em> of run <a href="/runs/${sender.run_id}">`,
    );

    const events = (await get("/events?name=test%2Fchild")).html;
    for (const runId of started) expect(events).toContain(`<a href="/runs/${runId}">`);
  });

  it("escapes event data and step output, and shows a failed step's error with its stack", async () => {
    const payload = "</pre><script>alert(1)</script>";
    const { run } = await runOf("test/doomed", { note: payload }, "contract-doomed");
    expect(run.status).toBe("Failed");
    const { html } = await get(`/runs/${run.run_id}`);
    expect(html).not.toContain(payload);
    expect(html).toContain("&lt;/pre&gt;&lt;script&gt;alert(1)&lt;/script&gt;");
    expect(html).toMatch(
      /<strong>Error<\/strong>: broken for good<\/p><pre class="stack">Error: broken for good\n\s+at /,
    );
    expect(html).toMatch(/<td>StepFailed<\/td><td>2<\/td>/); // retries: 1 ⇒ two attempts
    expect((await get(`/events?name=test%2Fdoomed`)).html).not.toContain(payload);
  });

  it("offers to rerun a step that took arguments with another input, prefilled with its own, escaped", async () => {
    const { run } = await runOf("test/greet", { name: "</textarea><b>ada</b>" }, "contract-greeter");
    const { html } = await get(`/runs/${run.run_id}`);
    expect(html).toContain('<label for="input-');
    expect(html).toMatch(
      /Input of greet \(a JSON array of its arguments\)<\/label>\n<textarea [^>]*>\[\n {2}&quot;&lt;\/textarea&gt;&lt;b&gt;ada&lt;\/b&gt;&quot;\n\]<\/textarea>/,
    );
    expect(html).not.toContain("Rerun from look-up with another input"); // it took no arguments
  });

  it("keeps a sleeping run's page still, and tells the page when the run moved on", async () => {
    const { run } = await runOf("test/sleep", {}, "contract-sleeper");
    const fingerprintOnPage = async () =>
      (await get(`/runs/${run.run_id}`)).html.match(
        /id="live-run" data-run="[0-9A-Z]+" data-fingerprint="([^"]*)"/,
      )?.[1];
    const asPolled = async () => {
      const polled = await client.getRun(run.run_id);
      return runFingerprint(polled.status, polled.steps);
    };
    const sleeping = await fingerprintOnPage();
    expect(sleeping).toBe(await asPolled()); // what the page's poll computes from GET /api/runs/:id
    await client.advanceClock("30m");
    await client.waitUntilIdle();
    expect(await asPolled()).toBe(sleeping); // nothing happened: no reload
    await client.advanceClock("1h");
    await client.waitUntilIdle();
    expect(await asPolled()).not.toBe(sleeping); // woke and completed: the page reloads
    expect(await fingerprintOnPage()).toBeUndefined(); // a finished run is not polled
  });

  it("shows every function's config as synced, and each app's sync state with a working Resync", async () => {
    const functions = (await get("/functions")).html;
    const flaky = functions.slice(functions.indexOf('id="fn-contract-flaky"'));
    expect(flaky).toMatch(/<td>Retries<\/td><td><code>3<\/code><\/td>/);
    const limited = functions.slice(functions.indexOf('id="fn-contract-limited"'));
    expect(limited).toMatch(/<td>Concurrency<\/td><td><code>\{&quot;limit&quot;:1\}<\/code><\/td>/);
    expect(limited).toMatch(/<td>Triggers<\/td><td><code>event test\/limited<\/code><\/td>/);

    const missing = "http://127.0.0.1:9/api/inngest"; // the discard port: nothing answers
    expect(await executor.addApp(missing)).toMatchObject({ ok: false });
    const apps = (await get("/apps")).html;
    expect(apps).toMatch(/<td class="s-Failed">Not synced<\/td>/);
    expect(apps).toContain(`${missing} is not reachable yet`);
    expect(apps).toMatch(/<td class="s-Completed">Synced<\/td>/);

    const resync = await fetch(`${executor.url}/api/apps/sync`, {
      method: "POST",
      body: JSON.stringify({ url: appUrl }),
    });
    expect(await resync.json()).toMatchObject({ data: { [appUrl]: { ok: true, appId: "contract" } } });
    const unknown = await fetch(`${executor.url}/api/apps/sync`, {
      method: "POST",
      body: JSON.stringify({ url: "http://127.0.0.1:1/nowhere" }),
    });
    expect(unknown.status).toBe(404);
  });
});
