import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ExecutorClient } from "../../local/inngest/client";
import type { RunningExecutor } from "../../local/inngest/index";
import { startTestExecutor } from "../../harness/test-stack";
import { createContractApp } from "./contract-app";

// The same functions with the SDK's checkpointing on (its default, and the app's setting) and off: results and
// step records must not differ, only the number of requests the SDK gets.

let executor: RunningExecutor;
let client: ExecutorClient;
const apps = {
  on: undefined as unknown as ReturnType<typeof createContractApp>,
  off: undefined as unknown as ReturnType<typeof createContractApp>,
};

beforeAll(async () => {
  executor = await startTestExecutor();
  apps.on = createContractApp(executor.url, { id: "cp-on" });
  apps.off = createContractApp(executor.url, { id: "cp-off", checkpointing: false });
  for (const app of Object.values(apps)) expect(await executor.addApp(await app.listen())).toMatchObject({ ok: true });
  client = new ExecutorClient(executor.url);
});

afterAll(async () => {
  await executor.stop();
  for (const app of Object.values(apps)) await app.close();
});

/** Sends one event; both apps' functions run from it. Returns each app's run of it. */
async function runsOf(eventName: string, data: Record<string, unknown> = {}) {
  const [eventId] = await client.sendEvents([{ name: eventName, data }]);
  await client.waitUntilIdle();
  const runs = await client.runsForEvent(eventId!);
  const of = (mode: "on" | "off") => runs.find((run) => run.function_id.startsWith(`cp-${mode}-`))!;
  return { on: of("on"), off: of("off") };
}

const MODES = [
  { mode: "on" as const, sequenceRequests: 1 },
  { mode: "off" as const, sequenceRequests: 4 },
];

describe("with checkpointing on and off", () => {
  it("runs sequential steps once each and records every step, in one request when checkpointing", async () => {
    const runs = await runsOf("test/sequence", { n: 4 });
    for (const { mode, sequenceRequests } of MODES) {
      const app = apps[mode];
      expect(runs[mode]).toMatchObject({ status: "Completed", output: { result: 13 } });
      const detail = await client.getRun(runs[mode].run_id);
      expect(detail.steps.map((s) => [s.display_name ?? s.name, s.op])).toEqual([
        ["first", "StepRun"],
        ["second", "StepRun"],
        ["third", "StepRun"],
      ]);
      expect([app.calls["sequence.first"], app.calls["sequence.second"], app.calls["sequence.third"]]).toEqual([
        1, 1, 1,
      ]);
      expect(app.requests[`cp-${mode}-sequence`]).toBe(sequenceRequests);
    }
  });

  it("sleeps and resumes after the steps before it were recorded", async () => {
    const runs = await runsOf("test/durable");
    for (const { mode } of MODES) {
      const before = (await client.getRun(runs[mode].run_id)).steps.find((s) => s.display_name === "before");
      expect(before?.ended_at).toBeTruthy();
    }
    await client.advanceClock("2s");
    await client.waitUntilIdle();
    for (const { mode } of MODES) {
      expect((await client.getRun(runs[mode].run_id)).status).toBe("Completed");
      expect([apps[mode].calls["durable.before"], apps[mode].calls["durable.after"]]).toEqual([1, 1]);
    }
  });

  it("retries a failing step and keeps the attempt count", async () => {
    const runs = await runsOf("test/flaky");
    for (const { mode } of MODES) {
      expect(runs[mode]).toMatchObject({ status: "Completed", output: "third time lucky" });
      expect((await client.getRun(runs[mode].run_id)).steps[0]).toMatchObject({ op: "StepRun", attempts: 3 });
    }
  });
});

describe("the checkpoint endpoint", () => {
  it("refuses a checkpoint for a request that is no longer out, as stale", async () => {
    const response = await fetch(`${executor.url}/v1/checkpoint/01NOSUCHRUN/async`, {
      method: "POST",
      body: JSON.stringify({ run_id: "01NOSUCHRUN", fn_id: "cp-on-sequence", qi_id: "999999", steps: [] }),
    });
    expect(response.status).toBe(409);
    expect((await response.json()).error).toMatch(/Stale dispatch/);
  });
});
