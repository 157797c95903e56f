import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ExecutorClient } from "../../local/inngest/client";
import type { ExecutorOptions, RunningExecutor } from "../../local/inngest/index";
import { startTestExecutor } from "../../harness/test-stack";
import { createContractApp } from "./contract-app";

/**
 * The executor's contract with the real SDK, on whichever store `store()` names: embedded PGlite
 * (executor-contract.test.ts) or a PostgreSQL server (executor-contract-postgres.test.ts).
 */
export function defineContractSuite(store: () => Pick<ExecutorOptions, "inMemory" | "postgresUri">) {
  let executor: RunningExecutor;
  let client: ExecutorClient;
  let app: ReturnType<typeof createContractApp>;

  beforeAll(async () => {
    executor = await startTestExecutor(store());
    app = createContractApp(executor.url);
    const sync = await executor.addApp(await app.listen());
    expect(sync).toMatchObject({ ok: true, appId: "contract" });
    client = new ExecutorClient(executor.url);
  });

  afterAll(async () => {
    await executor?.stop();
    await app?.close();
  });

  async function runOf(eventName: string, data: Record<string, unknown> = {}, functionId?: string) {
    const [eventId] = await client.sendEvents([{ name: eventName, data }]);
    await client.waitUntilIdle();
    const runs = await client.runsForEvent(eventId!);
    return functionId ? runs.filter((r) => r.function_id === functionId) : runs;
  }

  describe("the event API", () => {
    it("answers { ids, status: 200 } and rejects an oversized request with a message", async () => {
      const ok = await fetch(`${executor.url}/e/key`, {
        method: "POST",
        body: JSON.stringify({ name: "test/nothing", data: {} }),
      });
      expect(await ok.json()).toEqual({ ids: [expect.any(String)], status: 200 });
      const big = await fetch(`${executor.url}/e/key`, {
        method: "POST",
        body: JSON.stringify({ name: "x", data: { blob: "a".repeat(600_000) } }),
      });
      expect(big.status).toBe(400);
      expect((await big.json()).error).toMatch(/512 KB/);
    });

    it("starts a function only once for an event id seen in the last 24 h", async () => {
      await client.sendEvents([{ name: "test/sequence", data: { n: 1 }, id: "dedupe-me" }]);
      await client.sendEvents([{ name: "test/sequence", data: { n: 1 }, id: "dedupe-me" }]);
      await client.waitUntilIdle();
      const runs = await client.listRuns({ function: "contract-sequence" });
      expect(runs.filter((r) => r.event?.data.n === 1)).toHaveLength(1);
    });

    it("matches wildcard triggers and CEL expression filters", async () => {
      await runOf("wild/anything");
      await runOf("test/filtered", { plan: "free" });
      await runOf("test/filtered", { plan: "pro" });
      expect(app.calls["wildcard.ran"]).toBe(1);
      expect(app.calls["filtered.ran"]).toBe(1);
    });
  });

  describe("steps", () => {
    it("runs sequential steps once each and returns the function's result", async () => {
      const [run] = await runOf("test/sequence", { n: 4 }, "contract-sequence");
      expect(run).toMatchObject({ status: "Completed", output: { result: 13 } });
      const detail = await client.getRun(run!.run_id);
      expect(detail.steps.map((s) => [s.display_name ?? s.name, s.op])).toEqual([
        ["first", "StepRun"],
        ["second", "StepRun"],
        ["third", "StepRun"],
      ]);
    });

    it("reruns from a step: the steps before it are reused, not run again; it and the later ones run", async () => {
      const [original] = await runOf("test/sequence", { n: 10 }, "contract-sequence");
      expect(original).toMatchObject({ status: "Completed", output: { result: 25 } });
      const before = { ...app.calls };
      const second = (await client.getRun(original!.run_id)).steps.find((s) => s.display_name === "second")!;
      const rerunId = await client.rerun(original!.run_id, second.step_id);
      await client.waitUntilIdle();
      const rerun = await client.getRun(rerunId);
      expect(rerun).toMatchObject({ status: "Completed", output: { result: 25 } });
      expect(app.calls["sequence.first"]).toBe(before["sequence.first"]);
      expect(app.calls["sequence.second"]).toBe(before["sequence.second"]! + 1);
      expect(app.calls["sequence.third"]).toBe(before["sequence.third"]! + 1);
      expect(rerun.steps.map((s) => [s.display_name, s.reused_from])).toEqual([
        ["first", original!.run_id],
        ["second", null],
        ["third", null],
      ]);
      await expect(client.rerun(original!.run_id, "no-such-step")).rejects.toThrow(/answered 400.*has no step/);
    });

    it("reruns from a step with another input: that step runs with it, the steps before it stay reused", async () => {
      const [original] = await runOf("test/greet", { name: "ada" }, "contract-greeter");
      expect(original).toMatchObject({ status: "Completed", output: "hello ada (ADA)" });
      const before = { ...app.calls };
      const greet = (await client.getRun(original!.run_id)).steps.find((s) => s.display_name === "greet")!;
      expect(greet.input).toEqual({ input: ["ada"] }); // what the SDK sent as the step's input
      const rerunId = await client.rerun(original!.run_id, greet.step_id, ["grace"]);
      await client.waitUntilIdle();
      expect(await client.getRun(rerunId)).toMatchObject({ status: "Completed", output: "hello grace (ADA)" });
      expect(app.calls["greeter.look-up"]).toBe(before["greeter.look-up"]);
      expect(app.calls["greeter.greet"]).toBe(before["greeter.greet"]! + 1);
      await expect(client.rerun(original!.run_id, greet.step_id, "grace" as never)).rejects.toThrow(
        /answered 400.*JSON array/,
      );
    });

    it("runs parallel steps exactly once each, then continues", async () => {
      const [run] = await runOf("test/parallel", {}, "contract-parallel");
      expect(run).toMatchObject({ status: "Completed", output: "LR" });
      expect([app.calls["parallel.left"], app.calls["parallel.right"], app.calls["parallel.after"]]).toEqual([1, 1, 1]);
    });

    it("sleeps until the clock reaches the wake time", async () => {
      const [run] = await runOf("test/sleep", {}, "contract-sleeper");
      expect(run!.status).toBe("Running");
      await client.advanceClock("59m");
      await client.waitUntilIdle();
      expect((await client.getRun(run!.run_id)).status).toBe("Running");
      await client.advanceClock("1m");
      await client.waitUntilIdle();
      expect(await client.getRun(run!.run_id)).toMatchObject({ status: "Completed", output: "awake" });
    });

    it("resumes waitForEvent with the matching event, or null after the timeout", async () => {
      const [matched] = await runOf("test/wait", { id: "a" }, "contract-waiter");
      const [unmatched] = await runOf("test/wait", { id: "b" }, "contract-waiter");
      await client.sendEvents([{ name: "test/approved", data: { id: "a", by: "ada" } }]);
      await client.waitUntilIdle();
      expect(await client.getRun(matched!.run_id)).toMatchObject({
        status: "Completed",
        output: { approvedBy: "ada" },
      });
      expect((await client.getRun(unmatched!.run_id)).status).toBe("Running");
      await client.advanceClock("2h");
      await client.waitUntilIdle();
      expect(await client.getRun(unmatched!.run_id)).toMatchObject({
        status: "Completed",
        output: { approvedBy: null },
      });
    });

    it("retries a failing step and keeps the attempt count", async () => {
      const [run] = await runOf("test/flaky", {}, "contract-flaky");
      expect(run).toMatchObject({ status: "Completed", output: "third time lucky" });
      const detail = await client.getRun(run!.run_id);
      expect(detail.steps[0]).toMatchObject({ op: "StepRun", attempts: 3 });
      expect(app.calls["flaky.attempt"]).toBe(3);
    });

    it("fails a run after its retries and runs onFailure with the error", async () => {
      const [run] = await runOf("test/doomed", {}, "contract-doomed");
      await client.waitUntilIdle();
      expect(run!.status).toBe("Failed");
      expect(app.calls["doomed.attempt"]).toBe(2);
      expect(app.failures).toEqual([{ message: "broken for good", original: "test/doomed" }]);
    });

    it("does not retry a NonRetriableError", async () => {
      const [run] = await runOf("test/no-retry", {}, "contract-no-retry");
      expect(run!.status).toBe("Failed");
      expect(app.calls["no-retry.attempt"]).toBe(1);
    });

    it("fans out with step.sendEvent", async () => {
      const before = app.calls["child.ran"] ?? 0;
      const [run] = await runOf("test/fan-out", { n: 25 }, "contract-fan-out");
      await client.waitUntilIdle();
      expect(run).toMatchObject({ status: "Completed", output: 25 });
      expect(app.calls["child.ran"]! - before).toBe(25);
    });

    it("invokes another function and gets its result", async () => {
      const [run] = await runOf("test/invoke", {}, "contract-invoker");
      await client.waitUntilIdle();
      expect(await client.getRun(run!.run_id)).toMatchObject({ status: "Completed", output: { doubled: 42 } });
    });
  });

  describe("flow control", () => {
    it("never executes more steps at once than the concurrency limit", async () => {
      await client.sendEvents(Array.from({ length: 6 }, () => ({ name: "test/limited", data: {} })));
      await client.waitUntilIdle();
      const runs = await client.listRuns({ function: "contract-limited" });
      expect(runs.filter((r) => r.status === "Completed")).toHaveLength(6);
      expect(app.maxConcurrent()).toBe(1);
    });

    it("starts other work at once while many runs wait behind one full concurrency key (more than the queue reads at once)", async () => {
      // One request, so the queue first sees the key's backlog (older than the other event) all at once.
      const [, ...rest] = await client.sendEvents([
        ...Array.from({ length: 150 }, () => ({ name: "test/gated", data: { key: "busy" } })),
        { name: "test/sequence", data: { n: 2 } },
      ]);
      const unrelated = rest.at(-1)!;
      await expect
        .poll(async () => (await client.runsForEvent(unrelated))[0]?.status, { timeout: 10_000 })
        .toBe("Completed");
      // Meanwhile the key's first run still held its slot, and no other run of the key had begun.
      expect(app.calls["gated.entered"]).toBe(1);
      app.openGate();
      await client.waitUntilIdle();
      const gated = await client.listRuns({ function: "contract-gated", limit: 500 });
      expect(gated.filter((run) => run.status === "Completed")).toHaveLength(150);
      expect(app.calls["gated.entered"]).toBe(150);
    });

    it("skips a run whose idempotency key was used in the last 24 h", async () => {
      await runOf("test/idempotent", { key: "k1" });
      await runOf("test/idempotent", { key: "k1" });
      await runOf("test/idempotent", { key: "k2" });
      expect(app.calls["once-per-key.ran"]).toBe(2);
    });

    it("cancels a run when a matching cancelOn event arrives", async () => {
      const [keep] = await runOf("test/cancellable", { id: "keep" }, "contract-cancellable");
      const [drop] = await runOf("test/cancellable", { id: "drop" }, "contract-cancellable");
      await client.sendEvents([{ name: "test/cancel", data: { id: "drop" } }]);
      await client.waitUntilIdle();
      expect((await client.getRun(drop!.run_id)).status).toBe("Cancelled");
      expect((await client.getRun(keep!.run_id)).status).toBe("Running");
    });

    it("cancels a run started by an earlier event of the same request, and fans out every run of one request", async () => {
      const [startedId, , plainId] = await client.sendEvents([
        { name: "test/cancellable", data: { id: "same-request" } },
        { name: "test/cancel", data: { id: "same-request" } },
        { name: "test/cancellable", data: { id: "after-the-cancel" } },
      ]);
      await client.waitUntilIdle();
      const [cancelled] = await client.runsForEvent(startedId!);
      expect(cancelled?.status).toBe("Cancelled");
      const [after] = await client.runsForEvent(plainId!);
      expect(after?.status).toBe("Running");
    });
  });

  describe("flow control that delays or holds runs", () => {
    const runsOf = (fn: string) => client.listRuns({ function: `contract-${fn}` });

    it("throttles starts: limit + burst at once, then one per period / limit, none dropped", async () => {
      await client.sendEvents([1, 2, 3, 4].map((n) => ({ name: "test/throttled", data: { n } })));
      await client.waitUntilIdle();
      // The first two start together (their requests may reach the app in either order), the third a period later.
      const throttled = () => app.started.filter((s) => s.startsWith("throttled"));
      expect([...throttled()].sort()).toEqual(["throttled:1", "throttled:2"]);
      await client.advanceClock("1m");
      await client.waitUntilIdle();
      expect(throttled()).toHaveLength(3);
      expect(throttled()[2]).toBe("throttled:3");
      await client.advanceClock("1m");
      await client.waitUntilIdle();
      expect((await runsOf("throttled")).map((r) => r.status)).toEqual([
        "Completed",
        "Completed",
        "Completed",
        "Completed",
      ]);
    });

    it("debounces per key: one run with the latest event once events stop for the period", async () => {
      await client.sendEvents([
        { name: "test/debounced", data: { user: "ada", n: 1 } },
        { name: "test/debounced", data: { user: "bob", n: 1 } },
      ]);
      await client.advanceClock("5s");
      await client.sendEvents([{ name: "test/debounced", data: { user: "ada", n: 2 } }]);
      await client.advanceClock("6s"); // bob's 10 s are up; ada's were restarted 6 s ago
      await client.waitUntilIdle();
      expect((await runsOf("debounced")).map((r) => r.output)).toEqual([{ user: "bob", n: 1 }]);
      await client.advanceClock("4s");
      await client.waitUntilIdle();
      expect((await runsOf("debounced")).map((r) => r.output)).toContainEqual({ user: "ada", n: 2 });
      expect(await runsOf("debounced")).toHaveLength(2);
    });

    it("starts a debounced run at its timeout even while events keep arriving", async () => {
      for (let n = 1; n <= 8; n++) {
        await client.sendEvents([{ name: "test/debounced", data: { user: "chatty", n } }]);
        await client.advanceClock("9s");
        await client.waitUntilIdle();
      }
      const chatty = (await runsOf("debounced")).filter((r) => (r.output as { user: string }).user === "chatty");
      expect(chatty.map((r) => r.output)).toEqual([{ user: "chatty", n: 7 }]); // 7 events in, 63 s > the 1 min timeout
    });

    it("batches events: a full batch runs at once, a partial one after the timeout", async () => {
      const eventIds = await client.sendEvents([1, 2, 3, 4].map((n) => ({ name: "test/batched", data: { n } })));
      await client.waitUntilIdle();
      expect((await runsOf("batched")).map((r) => r.output)).toEqual([[1, 2, 3]]);
      const [fromThird] = await client.runsForEvent(eventIds[2]!);
      expect(fromThird).toMatchObject({ function_id: "contract-batched", output: [1, 2, 3] });
      await client.advanceClock("5s");
      await client.waitUntilIdle();
      expect((await runsOf("batched")).map((r) => r.output)).toEqual(expect.arrayContaining([[1, 2, 3], [4]]));
      expect(await runsOf("batched")).toHaveLength(2);
    });

    it("starts higher-priority runs first when they queue for the same concurrency slot", async () => {
      await client.sendEvents([
        { name: "test/prioritized", data: { name: "routine-1", priority: 0 } },
        { name: "test/prioritized", data: { name: "routine-2", priority: 0 } },
        { name: "test/prioritized", data: { name: "urgent", priority: 120 } },
      ]);
      await client.waitUntilIdle();
      expect(app.started.filter((s) => s.startsWith("prioritized"))).toEqual([
        "prioritized:urgent",
        "prioritized:routine-1",
        "prioritized:routine-2",
      ]);
    });

    it("keeps one run per singleton key: skip drops the newcomer, cancel replaces the holder", async () => {
      await client.sendEvents([{ name: "test/singleton-skip", data: { user: "ada" } }]);
      await client.sendEvents([
        { name: "test/singleton-skip", data: { user: "ada" } },
        { name: "test/singleton-skip", data: { user: "bob" } },
      ]);
      await client.waitUntilIdle();
      expect((await runsOf("singleton-skip")).map((r) => r.event?.data.user).sort()).toEqual(["ada", "bob"]);

      await client.sendEvents([{ name: "test/singleton-cancel", data: { n: 1 } }]);
      await client.waitUntilIdle();
      await client.sendEvents([{ name: "test/singleton-cancel", data: { n: 2 } }]);
      await client.waitUntilIdle();
      const runs = await runsOf("singleton-cancel");
      expect(runs.map((r) => [r.event?.data.n, r.status]).sort()).toEqual([
        [1, "Cancelled"],
        [2, "Running"],
      ]);
    });

    it("cancels a run still queued after timeouts.start, and one still running after timeouts.finish", async () => {
      await client.sendEvents([1, 2].map((n) => ({ name: "test/start-timeout", data: { n } })));
      await client.waitUntilIdle();
      await client.advanceClock("11s");
      await client.waitUntilIdle();
      expect((await runsOf("start-timeout")).map((r) => [r.event?.data.n, r.status]).sort()).toEqual([
        [1, "Completed"],
        [2, "Cancelled"],
      ]);
      expect(app.started).not.toContain("start-timeout:2");

      const [finish] = await runOf("test/finish-timeout", {}, "contract-finish-timeout");
      expect(finish!.status).toBe("Running");
      await client.advanceClock("31s");
      await client.waitUntilIdle();
      expect((await client.getRun(finish!.run_id)).status).toBe("Cancelled");
      await client.advanceClock("1m");
      await client.waitUntilIdle();
      expect(app.calls["finish-timeout.after"]).toBeUndefined();
    });
  });

  describe("cron", () => {
    it("shows the next fire time in the trigger's time zone and fires when the clock gets there", async () => {
      const morning = (await client.listFunctions()).find((f) => f.id === "contract-morning")!;
      const next = new Date(morning.nextCronFires[0]!);
      const parisHour = Number(
        new Intl.DateTimeFormat("en-GB", { timeZone: "Europe/Paris", hour: "2-digit" }).format(next),
      );
      expect(parisHour).toBe(9);
      await client.advanceClock(`${Math.ceil((next.getTime() - Date.now()) / 60_000) + 1440}m`);
      await client.waitUntilIdle();
      const runs = await client.listRuns({ function: "contract-morning" });
      expect(runs.length).toBeGreaterThanOrEqual(1);
      expect(runs[0]).toMatchObject({ status: "Completed", output: "inngest/scheduled.timer" });
    });
  });
}
