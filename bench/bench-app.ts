import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { Inngest } from "inngest";
import { serve } from "inngest/node";
import { FAN_OUT, STEPS } from "./bench-sizes";

// The functions bench/executor.ts drives, served in their own process (as the app is under `npm run dev`), so
// the executor and the SDK each get a core. Prints its serve URL on the first line of stdout.

const executorUrl = process.argv[2];
if (!executorUrl) throw new Error("usage: bench-app.ts <executor url>");
const quiet = { info() {}, warn() {}, error() {}, debug() {} };
const inngest = new Inngest({ id: "bench", isDev: true, baseUrl: executorUrl, logger: quiet });
const sequentialSteps = async ({ step }: { step: { run: (id: string, fn: () => number) => Promise<number> } }) => {
  let total = 0;
  for (let i = 0; i < STEPS; i++) total += await step.run(`step-${i}`, () => i);
  return total;
};
const functions = [
  // The SDK's default: checkpointing on, so the 50 steps run in one request, each recorded by a checkpoint.
  inngest.createFunction({ id: "sequential", triggers: [{ event: "bench/sequential" }] }, sequentialSteps),
  inngest.createFunction(
    { id: "sequential-no-checkpoint", checkpointing: false, triggers: [{ event: "bench/sequential-no-checkpoint" }] },
    sequentialSteps,
  ),
  inngest.createFunction({ id: "fan-out", triggers: [{ event: "bench/fan-out" }] }, async ({ event, step }) => {
    const size = typeof event.data.size === "number" ? event.data.size : FAN_OUT;
    await step.sendEvent(
      "send-children",
      Array.from({ length: size }, (_, i) => ({ name: "bench/child", data: { i } })),
    );
  }),
  inngest.createFunction({ id: "child", triggers: [{ event: "bench/child" }] }, async ({ event }) => event.data.i),
  // Fairness: many runs queue behind one concurrency key while unrelated runs report how long they waited.
  inngest.createFunction(
    { id: "keyed", concurrency: { limit: 1, key: "event.data.key" }, triggers: [{ event: "bench/keyed" }] },
    async ({ step }) => {
      await step.run("hold", () => new Promise((resolve) => setTimeout(resolve, 50)));
    },
  ),
  inngest.createFunction({ id: "probe", triggers: [{ event: "bench/probe" }] }, async ({ event }) => {
    return Date.now() - (event.data as { sentAt: number }).sentAt;
  }),
];
const server = createServer(serve({ client: inngest, functions }));
server.listen(0, "127.0.0.1", () => {
  console.log(`http://127.0.0.1:${(server.address() as AddressInfo).port}/api/inngest`);
});
