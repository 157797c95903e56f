import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Inngest } from "inngest";
import { serve } from "inngest/node";
import { ExecutorClient } from "../../local/inngest/client";
import type { RunningExecutor } from "../../local/inngest/index";
import { startTestExecutor } from "../../harness/test-stack";
import { createContractApp } from "./contract-app";

// Where the executor follows Inngest's engine rather than the obvious reading: reruns, Date timeouts, GCRA rate
// limits, repeated event ids, lifecycle events, race mode, the gateway ops and Cloud's limits.

let executor: RunningExecutor;
let client: ExecutorClient;
let app: ReturnType<typeof createContractApp>;

beforeAll(async () => {
  executor = await startTestExecutor();
  app = createContractApp(executor.url);
  expect(await executor.addApp(await app.listen())).toMatchObject({ ok: true });
  client = new ExecutorClient(executor.url);
});

afterAll(async () => {
  await executor.stop();
  await app.close();
});

async function runOf(eventName: string, data: Record<string, unknown> = {}, id?: string) {
  const [eventId] = await client.sendEvents([{ name: eventName, data, ...(id ? { id } : {}) }]);
  await client.waitUntilIdle();
  return (await client.runsForEvent(eventId!)).filter((run) => !run.function_id.endsWith("finish-listener"));
}

/** An ISO time on the executor's clock, which the tests move forward. */
const executorTimeIn = (ms: number) => new Date(executor.clock.now() + ms).toISOString();

describe("reruns and repeated events", () => {
  it("reruns a function that has an idempotency key, under the new run's id", async () => {
    const [first] = await runOf("test/rerunnable", { key: "same" });
    expect(app.calls["rerunnable.ran"]).toBe(1);
    const rerunId = await client.rerun(first!.run_id);
    await client.waitUntilIdle();
    expect(await client.getRun(rerunId)).toMatchObject({ status: "Completed" });
    expect(app.calls["rerunnable.ran"]).toBe(2);
    expect((await client.runsForEvent(first!.event_id!)).map((run) => run.run_id)).toContain(rerunId);
  });

  it("takes a repeated event id in: listed, resuming waits and cancelling runs, only starting no second run", async () => {
    await client.sendEvents([{ name: "test/approved", data: { id: "dup", by: "early" }, id: "repeat-me" }]);
    const [waiter] = await runOf("test/wait", { id: "dup" });
    const [cancellable] = await runOf("test/cancellable", { id: "dup" });
    await client.sendEvents([{ name: "test/approved", data: { id: "dup", by: "repeat" }, id: "repeat-me" }]);
    await client.sendEvents([{ name: "test/cancel", data: { id: "dup" }, id: "cancel-once" }]);
    await client.sendEvents([{ name: "test/cancel", data: { id: "dup" }, id: "cancel-once" }]);
    await client.waitUntilIdle();
    expect(await client.getRun(waiter!.run_id)).toMatchObject({
      status: "Completed",
      output: { approvedBy: "repeat" },
    });
    expect((await client.getRun(cancellable!.run_id)).status).toBe("Cancelled");
    const listed = await client.listEvents("test/approved");
    expect(listed.filter((event) => (event.event as { id?: string }).id === "repeat-me")).toHaveLength(2);
  });

  it("emits inngest/function.finished for a cancelled run too", async () => {
    const [run] = await runOf("test/cancellable", { id: "finish-me" });
    await client.cancelRun(run!.run_id);
    await client.waitUntilIdle();
    expect(app.finished).toContainEqual({ runId: run!.run_id, status: "Cancelled" });
  });
});

describe("timeouts given as a Date, or empty", () => {
  it("times a waitForEvent out at a Date, and at once for an empty timeout", async () => {
    const [dated] = await runOf("test/wait-until", { until: executorTimeIn(3_600_000) });
    expect((await client.getRun(dated!.run_id)).status).toBe("Running");
    const [empty] = await runOf("test/wait-until", { until: null });
    expect(await client.getRun(empty!.run_id)).toMatchObject({ status: "Completed", output: "timed out" });
    await client.advanceClock("61m");
    await client.waitUntilIdle();
    expect(await client.getRun(dated!.run_id)).toMatchObject({ status: "Completed", output: "timed out" });
  });

  it("times an invoke out at a Date", async () => {
    const [run] = await runOf("test/invoke-until", { until: executorTimeIn(600_000) });
    expect((await client.getRun(run!.run_id)).status).toBe("Running");
    await client.advanceClock("11m");
    await client.waitUntilIdle();
    expect(await client.getRun(run!.run_id)).toMatchObject({
      status: "Completed",
      output: "InngestInvokeTimeoutError",
    });
  });

  it("cancels on an event when cancelOn's timeout is a Date, and the event API answers 200", async () => {
    const [run] = await runOf("test/cancellable-until");
    const response = await fetch(`${executor.url}/e/key`, {
      method: "POST",
      body: JSON.stringify({ name: "test/cancel-until", data: {} }),
    });
    expect(response.status).toBe(200);
    await client.waitUntilIdle();
    expect((await client.getRun(run!.run_id)).status).toBe("Cancelled");
  });
});

describe("rateLimit", () => {
  it("admits limit / 10 + 1 at once, then one per period / limit, and the function never sees a rate key", async () => {
    await client.sendEvents([1, 2, 3, 4, 5].map((n) => ({ name: "test/rate-limited", data: { n } })));
    await client.waitUntilIdle();
    const runs = await client.listRuns({ function: "contract-rate-limited" });
    expect(runs.map((run) => (run.output as { n: number }).n).sort()).toEqual([1, 2]);
    expect((runs[0]!.output as { fields: string[] }).fields).not.toContain("_rate_key");
    await client.advanceClock("6s");
    await client.sendEvents([6, 7].map((n) => ({ name: "test/rate-limited", data: { n } })));
    await client.waitUntilIdle();
    expect(await client.listRuns({ function: "contract-rate-limited" })).toHaveLength(3);
  });

  it("applies before debounce: an event over the limit does not replace the debounced one", async () => {
    await client.sendEvents([{ name: "test/rate-limited-debounce", data: { n: 1 } }]);
    await client.sendEvents([{ name: "test/rate-limited-debounce", data: { n: 2 } }]);
    await client.advanceClock("11s");
    await client.waitUntilIdle();
    const runs = await client.listRuns({ function: "contract-rate-limited-debounce" });
    expect(runs.map((run) => run.output)).toEqual([1]);
  });
});

describe("steps Inngest runs differently", () => {
  it("moves on after the first branch of a group.parallel race, without waiting for the others", async () => {
    const [run] = await runOf("test/race");
    expect(await client.getRun(run!.run_id)).toMatchObject({ status: "Completed", output: "fast" });
    expect(app.raceOrder).toEqual(["fast", "after:fast", "slow"]);
  });

  it("makes step.fetch's request from the executor and hands the response back", async () => {
    const [run] = await runOf("test/fetch", { url: `${executor.url}/api/apps` });
    const detail = await client.getRun(run!.run_id);
    expect(detail.status).toBe("Completed");
    expect(detail.output).toMatchObject({
      status: 200,
      body: { data: [expect.objectContaining({ app_id: "contract" })] },
    });
    expect(detail.steps[0]).toMatchObject({ op: "Gateway" });
  });

  it("sends step.ai.infer's request with the model's auth and returns the JSON answer", async () => {
    const received: Array<{ auth?: string; body: unknown }> = [];
    const model = await listen((request, body) => {
      received.push({ auth: request.headers.authorization, body: JSON.parse(body) });
      return { choices: [{ message: { role: "assistant", content: "hello from the model" } }] };
    });
    try {
      const [run] = await runOf("test/infer", { baseUrl: model.url });
      expect(await client.getRun(run!.run_id)).toMatchObject({ status: "Completed", output: "hello from the model" });
      expect(received).toEqual([
        { auth: "Bearer sk-local", body: { model: "local-model", messages: [{ role: "user", content: "hi" }] } },
      ]);
    } finally {
      await model.close();
    }
  });

  it("fails step.waitForSignal with a message saying it is not supported here", async () => {
    const [run] = await runOf("test/signal");
    const detail = await client.getRun(run!.run_id);
    expect(detail.status).toBe("Failed");
    expect(JSON.stringify(detail.error)).toMatch(/waitForSignal.*not supported by the local executor/);
  });

  it("keeps two key expressions that evaluate to the same value as two limits", async () => {
    await client.sendEvents([{ name: "test/shared-key", data: { user: "same", team: "same" } }]);
    await client.waitUntilIdle();
    expect(app.sharedKeyMax()).toBe(2);
  });
});

describe("Cloud's limits", () => {
  it("refuses an event over 256 KB with Inngest's message, sending none of the request", async () => {
    const response = await fetch(`${executor.url}/e/key`, {
      method: "POST",
      body: JSON.stringify([
        { name: "test/limit-ok", data: {} },
        { name: "test/limit-big", data: { blob: "a".repeat(300_000) } },
      ]),
    });
    expect(response.status).toBe(400);
    expect((await response.json()).error).toMatch(/Event is over the max size: Max 262144 bytes/);
    expect(await client.listEvents("test/limit-ok")).toEqual([]);
  });

  it("fails a step whose output is over 4 MB", async () => {
    const [run] = await runOf("test/big-output");
    const detail = await client.getRun(run!.run_id);
    expect(detail.status).toBe("Failed");
    expect(JSON.stringify(detail.error)).toMatch(/step output size is greater than the limit/);
  });

  it("clamps a Retry-After beyond 24 h to 24 h", async () => {
    const [run] = await runOf("test/retry-later");
    expect((await client.getRun(run!.run_id)).status).toBe("Running");
    await client.advanceClock("24h");
    await client.advanceClock("1s");
    await client.waitUntilIdle();
    expect(await client.getRun(run!.run_id)).toMatchObject({ status: "Completed", output: "retried" });
  });
});

describe("with --signing-key", () => {
  it("signs with the real time, so moving the executor's clock does not make the SDK reject requests", async () => {
    const signingKey = "signkey-test-0123456789abcdef0123456789abcdef";
    const signed = await startTestExecutor({ signingKey });
    const inngest = new Inngest({ id: "signed", isDev: false, signingKey, eventKey: "local", baseUrl: signed.url });
    const fn = inngest.createFunction({ id: "after-a-day", triggers: [{ event: "test/signed" }] }, async ({ step }) => {
      await step.sleep("a-day", "1d");
      return step.run("after", () => "still trusted");
    });
    const server = await listenHandler(serve({ client: inngest, functions: [fn] }));
    try {
      expect(await signed.addApp(`${server.url}/api/inngest`)).toMatchObject({ ok: true });
      const signedClient = new ExecutorClient(signed.url);
      const [eventId] = await signedClient.sendEvents([{ name: "test/signed", data: {} }]);
      await signedClient.waitUntilIdle();
      await signedClient.advanceClock("25h");
      await signedClient.waitUntilIdle();
      const [run] = await signedClient.runsForEvent(eventId!);
      expect(run).toMatchObject({ status: "Completed", output: "still trusted" });
    } finally {
      await signed.stop();
      await server.close();
    }
  });
});

async function listen(answer: (request: IncomingMessage, body: string) => unknown) {
  return listenHandler((request, response) => {
    let body = "";
    request.on("data", (chunk) => (body += chunk));
    request.on("end", () => {
      response.setHeader("content-type", "application/json");
      response.end(JSON.stringify(answer(request, body)));
    });
  });
}

async function listenHandler(handler: Parameters<typeof createServer>[1]) {
  const server: Server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
