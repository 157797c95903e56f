import { mkdtemp, readFile, rm } from "node:fs/promises";
import { spawn, spawnSync } from "node:child_process";
import { createInterface } from "node:readline";
import { tmpdir } from "node:os";
import path from "node:path";
import { ExecutorProcess, freePort } from "../harness/executor-process";
import { FAN_OUT, STEPS } from "./bench-sizes";

// The local executor against its floor, in one run:
// - executor_overhead_ratio: a 50-step sequential function run through the executor step by step (checkpointing
//   off), against the same 50 step requests POSTed straight to the SDK's serve handler (the SDK's own cost, with
//   no executor at all); executor_checkpointing_overhead_ratio: the same function with the SDK's checkpointing
//   on (one request, 50 checkpoints), against the same floor;
// - fanout_runs_per_s: one event fanning out to 1,000 runs with step.sendEvent, until all complete, against the
//   same 1,000 requests sent straight to the SDK (fanout_vs_sdk_floor_ratio);
// - rss_mb_after_10k_runs: resident memory of the executor's process after 10,000 runs, against PGlite alone;
// - fairness_p95_ms: p95 start latency of unrelated runs while 1,000 runs wait behind one concurrency key,
//   against the same on the idle executor (fairness_vs_idle_ratio; the floor is the idle figure itself).
// The executor runs as `npm run inngest -- dev` does (its own process, PGlite on disk) and the app in another.

const MANY_RUNS = 10_000;

const dataDir = await mkdtemp(path.join(tmpdir(), "stepwise-bench-executor-"));
const port = await freePort();
const app = spawn(
  process.execPath,
  ["--import", "tsx", path.join(import.meta.dirname, "bench-app.ts"), `http://127.0.0.1:${port}`],
  { stdio: ["ignore", "pipe", "inherit"] },
);
const appUrl = await new Promise<string>((resolve) => createInterface({ input: app.stdout! }).once("line", resolve));
const executor = new ExecutorProcess({ sdkUrl: appUrl, port, dataDir });
const client = await executor.start();

/** Resident memory of another process, as the kernel counts it. */
async function rssMbOf(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, "utf8");
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)![1]) / 1024;
}

async function timeRun(event: string, functionId: string): Promise<number> {
  const started = performance.now();
  const [eventId] = await client.sendEvents([{ name: event, data: {} }]);
  await client.waitUntilIdle();
  const [run] = await client.runsForEvent(eventId!);
  if (run?.function_id !== functionId || run.status !== "Completed")
    throw new Error(`${functionId} did not complete: ${JSON.stringify(run)}`);
  return performance.now() - started;
}

/** The same protocol requests the executor makes, sent directly: the cost of the SDK itself. */
async function timeDirect(): Promise<number> {
  const started = performance.now();
  const steps: Record<string, unknown> = {};
  const stack: string[] = [];
  const event = { name: "bench/sequential", data: {}, ts: Date.now() };
  for (let request = 0; request <= STEPS; request++) {
    const url = `${appUrl}?fnId=bench-sequential&stepId=step`;
    const body = {
      event,
      events: [event],
      steps,
      ctx: {
        run_id: "direct",
        attempt: 0,
        max_attempts: 5,
        disable_immediate_execution: false,
        use_api: false,
        stack: { stack, current: stack.length },
      },
      version: 2,
    };
    const response = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    const answer = await response.json();
    if (response.status === 200) return performance.now() - started;
    for (const op of answer as Array<{ id: string; data: unknown }>) {
      steps[op.id] = { data: op.data };
      stack.push(op.id);
    }
  }
  throw new Error("the direct run did not finish");
}

// Warm both paths, then take the median of five of each, interleaved so neither gets a quieter machine.
await timeRun("bench/sequential", "bench-sequential");
await timeRun("bench/sequential-no-checkpoint", "bench-sequential-no-checkpoint");
await timeDirect();
const executorMs: number[] = [];
const checkpointingMs: number[] = [];
const directMs: number[] = [];
for (let i = 0; i < 5; i++) {
  executorMs.push(await timeRun("bench/sequential-no-checkpoint", "bench-sequential-no-checkpoint"));
  checkpointingMs.push(await timeRun("bench/sequential", "bench-sequential"));
  directMs.push(await timeDirect());
}
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
console.log(`executor_50_steps_ms=${median(executorMs).toFixed(1)}`);
console.log(`executor_checkpointing_50_steps_ms=${median(checkpointingMs).toFixed(1)}`);
console.log(`direct_50_steps_ms=${median(directMs).toFixed(1)}`);
console.log(`executor_overhead_ratio=${(median(executorMs) / median(directMs)).toFixed(2)}`);
console.log(`executor_checkpointing_overhead_ratio=${(median(checkpointingMs) / median(directMs)).toFixed(2)}`);

/** One event fanning out to FAN_OUT runs, until all of them complete; runs per second. */
async function timeFanOut(): Promise<number> {
  const started = performance.now();
  await client.sendEvents([{ name: "bench/fan-out", data: {} }]);
  await client.waitUntilIdle();
  const seconds = (performance.now() - started) / 1000;
  const children = (await client.listRuns({ function: "bench-child", status: "Completed", limit: 2000 })).filter(
    (run) => run.run_started_at >= new Date(started + performance.timeOrigin - 1).toISOString(),
  );
  if (children.length !== FAN_OUT) throw new Error(`expected ${FAN_OUT} completed children, saw ${children.length}`);
  return FAN_OUT / seconds;
}

/** The floor: the same FAN_OUT child requests sent straight to the serve handler, 32 at a time; runs per second. */
async function timeFanOutFloor(): Promise<number> {
  const started = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: 32 }, async () => {
      while (next < FAN_OUT) {
        const i = next++;
        const event = { name: "bench/child", data: { i }, ts: Date.now() };
        const body = {
          event,
          events: [event],
          steps: {},
          ctx: {
            run_id: `floor-${i}`,
            attempt: 0,
            max_attempts: 5,
            disable_immediate_execution: false,
            use_api: false,
            stack: { stack: [], current: 0 },
          },
          version: 2,
        };
        const response = await fetch(`${appUrl}?fnId=bench-child&stepId=step`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify(body),
        });
        await response.arrayBuffer();
      }
    }),
  );
  return FAN_OUT / ((performance.now() - started) / 1000);
}

// One fan-out of the full size first: the first one pays for the executor's and the app's heaps growing and
// their code being compiled, as the floor, measured after it, does not. Then the median of three of each,
// interleaved so neither gets a quieter machine.
await timeFanOut();
const fanOutRates: number[] = [];
const floorRates: number[] = [];
for (let i = 0; i < 3; i++) {
  fanOutRates.push(await timeFanOut());
  floorRates.push(await timeFanOutFloor());
}
const fanOutPerSecond = median(fanOutRates);
const floorPerSecond = median(floorRates);
console.log(`fanout_runs=${FAN_OUT}`);
console.log(`fanout_runs_per_s=${fanOutPerSecond.toFixed(0)}`);
console.log(`fanout_sdk_floor_runs_per_s=${floorPerSecond.toFixed(0)}`);
console.log(`fanout_vs_sdk_floor_ratio=${(fanOutPerSecond / floorPerSecond).toFixed(2)}`);

for (let sent = 0; sent < MANY_RUNS; sent += 500) {
  await client.sendEvents(Array.from({ length: 500 }, (_, i) => ({ name: "bench/child", data: { i: sent + i } })));
  await client.waitUntilIdle();
}
// Give the executor's garbage collector a moment after the last burst, as an idle dev server would have.
await new Promise((resolve) => setTimeout(resolve, 2_000));
const executorRssMb = await rssMbOf(executor.pid!);
console.log(`rss_mb_after_10k_runs=${executorRssMb.toFixed(0)}`);

const PROBES = 40;
const BACKLOG = 1_000;

/** p95 of how long unrelated runs waited from their event to their first request, sent one every 25 ms. */
async function probeStartP95(label: string): Promise<number> {
  for (let i = 0; i < PROBES; i++) {
    await client.sendEvents([{ name: "bench/probe", data: { sentAt: Date.now(), label, i } }]);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  const deadline = Date.now() + 120_000;
  for (;;) {
    const done = (await client.listRuns({ function: "bench-probe", status: "Completed", limit: 1000 })).filter(
      (run) => run.event?.data.label === label,
    );
    if (done.length === PROBES) {
      const waits = done.map((run) => run.output as number).sort((a, b) => a - b);
      return waits[Math.ceil(PROBES * 0.95) - 1]!;
    }
    if (Date.now() > deadline) throw new Error(`${label}: only ${done.length} of ${PROBES} probes completed`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

await probeStartP95("warm-up");
const idleP95 = await probeStartP95("idle");
for (let sent = 0; sent < BACKLOG; sent += 250)
  await client.sendEvents(Array.from({ length: 250 }, () => ({ name: "bench/keyed", data: { key: "hot" } })));
const loadedP95 = await probeStartP95("behind-one-key");
console.log(`fairness_idle_p95_ms=${idleP95.toFixed(0)}`);
console.log(`fairness_p95_ms=${loadedP95.toFixed(0)}`);
console.log(`fairness_vs_idle_ratio=${(loadedP95 / Math.max(1, idleP95)).toFixed(2)}`);

await executor.stop();
app.kill();

// The floor: PGlite alone, opened on the same data the way the executor opens it, in a fresh process.
const floor = spawnSync(
  process.execPath,
  ["--import", "tsx", path.join(import.meta.dirname, "pglite-floor.ts"), dataDir],
  { encoding: "utf8" },
);
const floorMb = Number(/rss_mb=(\d+)/.exec(floor.stdout)?.[1]);
console.log(`rss_mb_pglite_floor=${floorMb}`);
console.log(`rss_vs_pglite_floor_ratio=${(executorRssMb / floorMb).toFixed(2)}`);
await rm(dataDir, { recursive: true, force: true });
