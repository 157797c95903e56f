import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { group, Inngest, NonRetriableError, RetryAfterError } from "inngest";
import { serve } from "inngest/node";

/**
 * A separate app for the executor's contract suite, served by `inngest/node`: one function per behaviour,
 * each recording what it observed so tests can assert on side effects, not only on run status.
 */
export function createContractApp(executorUrl: string, options: { id?: string; checkpointing?: boolean } = {}) {
  // Errors thrown on purpose are the point of several functions here; the SDK's logs of them are not.
  const quiet = { info() {}, warn() {}, error() {}, debug() {} };
  const inngest = new Inngest({
    id: options.id ?? "contract",
    isDev: true,
    baseUrl: executorUrl,
    logger: quiet,
    // Unset, the SDK's default applies: checkpointing on.
    ...(options.checkpointing === false ? { checkpointing: false } : {}),
  });
  /** Executor → SDK requests (POSTs) per function id, to tell a checkpointed run (one request) from step by step. */
  const requests: Record<string, number> = {};
  const calls: Record<string, number> = {};
  const count = (key: string) => (calls[key] = (calls[key] ?? 0) + 1);
  let concurrent = 0;
  let maxConcurrent = 0;
  const failures: unknown[] = [];
  const started: string[] = [];
  /** `inngest/function.finished` events seen for the cancellable function, by the run they report on. */
  const finished: Array<{ runId: string; status: string }> = [];
  const raceOrder: string[] = [];
  let raceAfterRan = false;
  let sharedKeyRunning = 0;
  let sharedKeyMax = 0;
  /** Holds the runs of `gated` in their step until the test opens the gate. */
  let openGate = () => {};
  const gate = new Promise<void>((resolve) => (openGate = resolve));

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
    inngest.createFunction({ id: "greeter", triggers: [{ event: "test/greet" }] }, async ({ event, step }) => {
      const name = (event.data as { name: string }).name;
      const look = await step.run("look-up", () => {
        count("greeter.look-up");
        return name.toUpperCase();
      });
      // Run with an argument, which a rerun from this step may replace.
      return step.run(
        "greet",
        (who: string) => {
          count("greeter.greet");
          return `hello ${who} (${look})`;
        },
        name,
      );
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
      { id: "gated", concurrency: { limit: 1, key: "event.data.key" }, triggers: [{ event: "test/gated" }] },
      async ({ step }) => {
        await step.run("wait-for-the-gate", async () => {
          count("gated.entered");
          await gate;
        });
      },
    ),
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

  const slowChild = inngest.createFunction(
    { id: "slow-child", triggers: [{ event: "test/slow-child-unused" }] },
    async ({ step }) => {
      await step.sleep("long", "1d");
      return "done";
    },
  );

  // The semantics the second contract file checks (executor-semantics.test.ts).
  const semanticFunctions = [
    slowChild,
    inngest.createFunction(
      { id: "rerunnable", idempotency: "event.data.key", triggers: [{ event: "test/rerunnable" }] },
      async () => count("rerunnable.ran"),
    ),
    inngest.createFunction({ id: "wait-until", triggers: [{ event: "test/wait-until" }] }, async ({ event, step }) => {
      const { until } = event.data as { until: string | null };
      // A Date goes to the executor as an ISO string; 0 as an empty timeout, which expires at once.
      const timeout = until === null ? 0 : new Date(until);
      const approval = await step.waitForEvent("approval", { event: "test/never", timeout });
      return approval === null ? "timed out" : "approved";
    }),
    inngest.createFunction(
      { id: "invoke-until", triggers: [{ event: "test/invoke-until" }] },
      async ({ event, step }) => {
        try {
          await step.invoke("call-slow", {
            function: slowChild,
            data: {},
            timeout: new Date((event.data as { until: string }).until),
          });
          return "finished";
        } catch (error) {
          return (error as Error).name;
        }
      },
    ),
    inngest.createFunction(
      {
        id: "cancel-until",
        cancelOn: [{ event: "test/cancel-until", timeout: new Date(Date.now() + 30 * 86_400_000) }],
        triggers: [{ event: "test/cancellable-until" }],
      },
      async ({ step }) => {
        await step.sleep("hold", "1h");
      },
    ),
    inngest.createFunction(
      { id: "rate-limited", rateLimit: { limit: 10, period: "1m" }, triggers: [{ event: "test/rate-limited" }] },
      async ({ event }) => ({ n: (event.data as { n: number }).n, fields: Object.keys(event).sort() }),
    ),
    inngest.createFunction(
      {
        id: "rate-limited-debounce",
        rateLimit: { limit: 1, period: "1m" },
        debounce: { period: "10s" },
        triggers: [{ event: "test/rate-limited-debounce" }],
      },
      async ({ event }) => (event.data as { n: number }).n,
    ),
    inngest.createFunction(
      {
        id: "finish-listener",
        triggers: [{ event: "inngest/function.finished", if: "event.data.function_id == 'contract-cancellable'" }],
      },
      async ({ event }) => {
        const data = event.data as { run_id: string; _inngest: { status: string } };
        finished.push({ runId: data.run_id, status: data._inngest.status });
      },
    ),
    inngest.createFunction({ id: "racer", triggers: [{ event: "test/race" }] }, async ({ step }) => {
      const winner = await group.parallel({ mode: "race" }, () =>
        Promise.race([
          step.run("fast", () => {
            raceOrder.push("fast");
            return "fast";
          }),
          step.run("slow", async () => {
            // Held until the step after the race has run, or 3 s: waiting for every branch would take the 3 s.
            for (let waited = 0; !raceAfterRan && waited < 3_000; waited += 20)
              await new Promise((resolve) => setTimeout(resolve, 20));
            raceOrder.push("slow");
            return "slow";
          }),
        ]),
      );
      await step.run("after-race", () => {
        raceOrder.push(`after:${winner}`);
        raceAfterRan = true;
      });
      return winner;
    }),
    inngest.createFunction({ id: "fetcher", triggers: [{ event: "test/fetch" }] }, async ({ event, step }) => {
      const response = await step.fetch((event.data as { url: string }).url);
      return { status: response.status, body: await response.json() };
    }),
    inngest.createFunction({ id: "inferrer", triggers: [{ event: "test/infer" }] }, async ({ event, step }) => {
      const model = step.ai.models.openai({
        model: "local-model",
        baseUrl: (event.data as { baseUrl: string }).baseUrl,
        apiKey: "sk-local",
      });
      const answer = (await step.ai.infer("ask", { model, body: { messages: [{ role: "user", content: "hi" }] } })) as {
        choices: Array<{ message: { content: string } }>;
      };
      return answer.choices[0]!.message.content;
    }),
    inngest.createFunction({ id: "signal-waiter", triggers: [{ event: "test/signal" }] }, async ({ step }) => {
      await step.waitForSignal("wait-for-go", { signal: "go", timeout: "1h", onConflict: "replace" });
    }),
    ...(["user", "team"] as const).map((field) =>
      inngest.createFunction(
        {
          id: `shared-key-${field}`,
          concurrency: { limit: 1, scope: "env", key: `event.data.${field}` },
          triggers: [{ event: "test/shared-key" }],
        },
        async ({ step }) => {
          await step.run("hold", async () => {
            sharedKeyRunning += 1;
            sharedKeyMax = Math.max(sharedKeyMax, sharedKeyRunning);
            await new Promise((resolve) => setTimeout(resolve, 150));
            sharedKeyRunning -= 1;
          });
        },
      ),
    ),
    inngest.createFunction(
      { id: "big-output", retries: 0, triggers: [{ event: "test/big-output" }] },
      async ({ step }) => {
        await step.run("too-big", () => "x".repeat(4 * 1024 * 1024 + 1));
      },
    ),
    inngest.createFunction(
      { id: "retry-later", retries: 1, triggers: [{ event: "test/retry-later" }] },
      async ({ step }) => {
        return step.run("asks-for-two-days", () => {
          if (count("retry-later.attempt") === 1) throw new RetryAfterError("come back later", "48h");
          return "retried";
        });
      },
    ),
  ];

  const serveHandler = serve({ client: inngest, functions: [...functions, ...semanticFunctions] });
  const handler: typeof serveHandler = (request, response) => {
    if (request.method === "POST") {
      const fnId = new URL(request.url ?? "/", "http://app").searchParams.get("fnId") ?? "";
      requests[fnId] = (requests[fnId] ?? 0) + 1;
    }
    return serveHandler(request, response);
  };
  let server: Server | undefined;
  return {
    calls,
    failures,
    /** The order in which runs of the flow-control functions began their work. */
    started,
    maxConcurrent: () => maxConcurrent,
    /** Lets the `gated` runs finish their step. */
    openGate: () => openGate(),
    requests,
    finished,
    raceOrder,
    /** Most steps running at once across the two functions limited by different keys of equal value. */
    sharedKeyMax: () => sharedKeyMax,
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
