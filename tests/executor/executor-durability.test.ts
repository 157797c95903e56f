import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { ExecutorClient } from "../../local/inngest/client";
import { ExecutorProcess, freePort } from "../../harness/executor-process";
import { createContractApp } from "./contract-app";

// The executor is killed with SIGKILL in the middle of a run and started again on the same data dir:
// the run must finish, the step recorded before the kill must not run again, and the sleep that expired
// while it was down must fire on start.

let dataDir: string;
let port: number;
let executor: ExecutorProcess;
let app: ReturnType<typeof createContractApp>;

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), "stepwise-executor-"));
  port = await freePort();
  app = createContractApp(`http://127.0.0.1:${port}`);
  executor = new ExecutorProcess({ sdkUrl: await app.listen(), port, dataDir });
});

afterAll(async () => {
  await executor.kill9();
  await app.close();
  await rm(dataDir, { recursive: true, force: true });
});

it("resumes a run after kill -9 without repeating a recorded step", async () => {
  let client = await executor.start();
  const [eventId] = await client.sendEvents([{ name: "test/durable", data: {} }]);
  let runId: string | undefined;
  for (let i = 0; i < 100 && !runId; i++) {
    const [run] = await client.runsForEvent(eventId!);
    if (run && (await client.getRun(run.run_id)).steps.some((s) => s.display_name === "before" && s.ended_at))
      runId = run.run_id;
    else await new Promise((resolve) => setTimeout(resolve, 20));
  }
  expect(runId).toBeDefined();

  await executor.kill9();
  await new Promise((resolve) => setTimeout(resolve, 1_200)); // the 1 s sleep expires while it is down

  client = await executor.start();
  const run = await client.waitForRun(
    { function: "contract-durable" },
    (r) => r.run_id === runId && r.status !== "Running",
  );
  expect(run.status).toBe("Completed");
  expect(app.calls["durable.before"]).toBe(1);
  expect(app.calls["durable.after"]).toBe(1);
}, 90_000); // two start-ups of the executor as its own process, each syncing the whole contract app

it("keeps debounced and batched events through kill -9 and starts their runs when due", async () => {
  let client = new ExecutorClient(executor.url); // the executor the test above restarted
  await client.sendEvents([
    { name: "test/debounced", data: { user: "durable", n: 1 } },
    { name: "test/debounced", data: { user: "durable", n: 2 } },
    { name: "test/batched", data: { n: 10 } },
    { name: "test/batched", data: { n: 11 } },
  ]);
  await client.waitUntilIdle();
  expect(await client.listRuns({ function: "contract-debounced" })).toEqual([]);
  expect(await client.listRuns({ function: "contract-batched" })).toEqual([]);

  await executor.kill9();

  client = await executor.start();
  await client.advanceClock("11s"); // past the 10 s debounce period and the 5 s batch timeout
  const debounced = await client.waitForRun({ function: "contract-debounced" });
  const batched = await client.waitForRun({ function: "contract-batched" });
  expect(debounced).toMatchObject({ status: "Completed", output: { user: "durable", n: 2 } });
  expect(batched).toMatchObject({ status: "Completed", output: [10, 11] });
});
