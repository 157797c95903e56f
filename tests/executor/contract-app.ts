import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { Inngest, NonRetriableError } from "inngest";
import { serve } from "inngest/node";

/**
 * A separate app for the executor's contract suite, served by `inngest/node`: one function per behaviour,
 * each recording what it observed so tests can assert on side effects, not only on run status.
 */
export function createContractApp(executorUrl: string) {
  // Errors thrown on purpose are the point of several functions here; the SDK's logs of them are not.
  const quiet = { info() {}, warn() {}, error() {}, debug() {} };
  const inngest = new Inngest({ id: "contract", isDev: true, baseUrl: executorUrl, logger: quiet });
  const calls: Record<string, number> = {};
  const count = (key: string) => (calls[key] = (calls[key] ?? 0) + 1);
  let concurrent = 0;
  let maxConcurrent = 0;
  const failures: unknown[] = [];
  const started: string[] = [];

  const doubler = inngest.createFunction(
    { id: "doubler", triggers: [{ event: "test/doubler-unused" }] },
    async ({ event }) => {
      return (event.data as { n: number }).n * 2;
    },
  );

  const functions = [
    doubler,
    inngest.createFunction({ id: "sequence", triggers: [{ event: "test/sequence" }] }, async ({ event, step }) => {
      const a = await step.run("first", () => {
        count("sequence.first");
        return (event.data as { n: number }).n + 1;
      });
      const b = await step.run("second", () => {
        count("sequence.second");
        return a * 2;
      });
      const c = await step.run("third", () => {
        count("sequence.third");
        return b + 3;
      });
      return { result: c };
    }),
    inngest.createFunction({ id: "parallel", triggers: [{ event: "test/parallel" }] }, async ({ step }) => {
      const [x, y] = await Promise.all([
        step.run("left", () => {
          count("parallel.left");
          return "L";
        }),
        step.run("right", () => {
          count("parallel.right");
          return "R";
        }),
      ]);
      const z = await step.run("after", () => {
        count("parallel.after");
        return x + y;
      });
      return z;
    }),
    inngest.createFunction({ id: "durable", triggers: [{ event: "test/durable" }] }, async ({ step }) => {
      await step.run("before", () => count("durable.before"));
      await step.sleep("short-nap", "1s");
      return step.run("after", () => count("durable.after"));
    }),
    inngest.createFunction({ id: "sleeper", triggers: [{ event: "test/sleep" }] }, async ({ step }) => {
      await step.sleep("nap", "1h");
      return step.run("woke", () => {
        count("sleeper.woke");
        return "awake";
      });
    }),
    inngest.createFunction({ id: "waiter", triggers: [{ event: "test/wait" }] }, async ({ step }) => {
      const approval = await step.waitForEvent("approval", {
        event: "test/approved",
        if: "async.data.id == event.data.id",
        timeout: "1h",
      });
      return approval ? { approvedBy: (approval.data as { by: string }).by } : { approvedBy: null };
    }),
    inngest.createFunction({ id: "flaky", retries: 3, triggers: [{ event: "test/flaky" }] }, async ({ step }) => {
      return step.run("sometimes-fails", () => {
        if (count("flaky.attempt") < 3) throw new Error("not yet");
        return "third time lucky";
      });
    }),
    inngest.createFunction(
      {
        id: "doomed",
        retries: 1,
        triggers: [{ event: "test/doomed" }],
        onFailure: async ({ error, event }) => {
          failures.push({ message: error.message, original: (event.data as { event: { name: string } }).event.name });
        },
      },
      async ({ step }) => {
        await step.run("always-fails", () => {
          count("doomed.attempt");
          throw new Error("broken for good");
        });
      },
    ),
    inngest.createFunction({ id: "no-retry", retries: 5, triggers: [{ event: "test/no-retry" }] }, async ({ step }) => {
      await step.run("refuses", () => {
        count("no-retry.attempt");
        throw new NonRetriableError("bad input");
      });
    }),
    inngest.createFunction({ id: "fan-out", triggers: [{ event: "test/fan-out" }] }, async ({ event, step }) => {
      const n = (event.data as { n: number }).n;
      await step.sendEvent(
        "send-children",
        Array.from({ length: n }, (_, i) => ({ name: "test/child", data: { i } })),
      );
      return n;
    }),
    inngest.createFunction({ id: "child", triggers: [{ event: "test/child" }] }, async ({ event }) => {
      count("child.ran");
      return (event.data as { i: number }).i;
    }),
    inngest.createFunction({ id: "invoker", triggers: [{ event: "test/invoke" }] }, async ({ step }) => {
      const doubled = await step.invoke("call-doubler", { function: doubler, data: { n: 21 } });
      return { doubled };
    }),
    inngest.createFunction(
      { id: "limited", concurrency: { limit: 1 }, triggers: [{ event: "test/limited" }] },
      async ({ step }) => {
        await step.run("hold", async () => {
          concurrent += 1;
          maxConcurrent = Math.max(maxConcurrent, concurrent);
          await new Promise((resolve) => setTimeout(resolve, 30));
          concurrent -= 1;
        });
      },
    ),
    inngest.createFunction(
      { id: "once-per-key", idempotency: "event.data.key", triggers: [{ event: "test/idempotent" }] },
      async () => {
        count("once-per-key.ran");
      },
    ),
    inngest.createFunction(
      { id: "filtered", triggers: [{ event: "test/filtered", if: "event.data.plan == 'pro'" }] },
      async () => {
        count("filtered.ran");
      },
    ),
    inngest.createFunction({ id: "wildcard", triggers: [{ event: "wild/*" }] }, async () => {
      count("wildcard.ran");
    }),
    inngest.createFunction({ id: "morning", triggers: [{ cron: "TZ=Europe/Paris 0 9 * * *" }] }, async ({ event }) => {
      count("morning.ran");
      return event.name;
    }),
    inngest.createFunction(
      {
        id: "cancellable",
        cancelOn: [{ event: "test/cancel", if: "async.data.id == event.data.id" }],
        triggers: [{ event: "test/cancellable" }],
      },
      async ({ step }) => {
        await step.sleep("long-wait", "1d");
        count("cancellable.finished");
      },
    ),
    inngest.createFunction(
      { id: "throttled", throttle: { limit: 1, period: "1m", burst: 1 }, triggers: [{ event: "test/throttled" }] },
      async ({ event }) => {
        started.push(`throttled:${(event.data as { n: number }).n}`);
      },
    ),
    inngest.createFunction(
      {
        id: "debounced",
        debounce: { period: "10s", key: "event.data.user", timeout: "1m" },
        triggers: [{ event: "test/debounced" }],
      },
      async ({ event }) => event.data,
    ),
    inngest.createFunction(
      { id: "batched", batchEvents: { maxSize: 3, timeout: "5s" }, triggers: [{ event: "test/batched" }] },
      async ({ events }) => {
        return events.map((e) => (e.data as { n: number }).n);
      },
    ),
    inngest.createFunction(
      {
        id: "prioritized",
        concurrency: 1,
        priority: { run: "event.data.priority" },
        triggers: [{ event: "test/prioritized" }],
      },
      async ({ event, step }) => {
        await step.run("record", () => started.push(`prioritized:${(event.data as { name: string }).name}`));
      },
    ),
    inngest.createFunction(
      {
        id: "singleton-skip",
        singleton: { key: "event.data.user", mode: "skip" },
        triggers: [{ event: "test/singleton-skip" }],
      },
      async ({ step }) => {
        await step.sleep("hold", "1h");
      },
    ),
    inngest.createFunction(
      { id: "singleton-cancel", singleton: { mode: "cancel" }, triggers: [{ event: "test/singleton-cancel" }] },
      async ({ step }) => {
        await step.sleep("hold", "1h");
      },
    ),
    inngest.createFunction(
      {
        id: "start-timeout",
        throttle: { limit: 1, period: "1h" },
        timeouts: { start: "10s" },
        triggers: [{ event: "test/start-timeout" }],
      },
      async ({ event }) => {
        started.push(`start-timeout:${(event.data as { n: number }).n}`);
      },
    ),
    inngest.createFunction(
      { id: "finish-timeout", timeouts: { finish: "30s" }, triggers: [{ event: "test/finish-timeout" }] },
      async ({ step }) => {
        await step.sleep("too-long", "1m");
        await step.run("after-sleep", () => count("finish-timeout.after"));
      },
    ),
  ];

  const handler = serve({ client: inngest, functions });
  let server: Server | undefined;
  return {
    calls,
    failures,
    /** The order in which runs of the flow-control functions began their work. */
    started,
    maxConcurrent: () => maxConcurrent,
    async listen(): Promise<string> {
      server = createServer(handler);
      await new Promise<void>((resolve) => server!.listen(0, "127.0.0.1", resolve));
      return `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/inngest`;
    },
    async close() {
      server?.closeAllConnections();
      await new Promise((resolve) => server?.close(resolve));
    },
  };
}
