import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import Stripe from "stripe";
import { LOCAL_DEFAULTS } from "../contracts/local-defaults";
import { ExecutorClient } from "../local/inngest/client";
import { startExecutor, type ExecutorOptions, type RunningExecutor } from "../local/inngest/index";
import { serveFetchHandler, type FetchHandler } from "../local/http/serve-fetch-handler";
import { startLocalStack, type LocalStack } from "../local/start-local-stack";
import { readTemplateDatabase } from "./template-database";

interface TestStackBase {
  stack: LocalStack;
  inngest: ExecutorClient;
  appUrl: string;
  /** stripe-node pointed at the Stripe emulator, as a test acts for Stripe (checkouts, cancellations). */
  stripe: Stripe;
  /** Emails the mailbox holds for an address, newest first. */
  mailTo(address: string): Promise<Array<{ subject: string; to: string[]; html: string; text: string }>>;
  stop(): Promise<void>;
}

export interface TestStack extends TestStackBase {
  executor: RunningExecutor;
}

/** A stack whose executor the test runs itself (e.g. as a child process it can kill). */
export type TestStackWithoutExecutor = TestStackBase;

export type RouteModule = { loader?: (args: never) => unknown; action?: (args: never) => unknown };

export interface TestStackOptions {
  /**
   * Start no executor in this process: the app's Inngest client sends to this URL instead, where the test runs
   * an executor of its own (synced to `${appUrl}/api/inngest`).
   */
  executorUrl?: string;
  /**
   * More of the app's routes to serve, by path, imported once the environment points at the stack
   * (e.g. `{ "/signup": () => import("../app/routes/signup") }`).
   */
  routes?: Record<string, () => Promise<RouteModule>>;
  /** Sees every request to the app first and decides when (or whether) its route gets it. */
  intercept?: (request: Request, next: (request: Request) => Promise<Response>) => Promise<Response>;
  /** Points the app's DATABASE_URL elsewhere, given the embedded database's own URL (e.g. through a proxy). */
  databaseUrl?: (direct: string) => string | Promise<string>;
}

/** The executor in this process, in memory, on a free port: retries at once, no periodic resync, no log. */
export function startTestExecutor(overrides: Partial<ExecutorOptions> = {}): Promise<RunningExecutor> {
  return startExecutor({
    urls: [],
    port: 0,
    inMemory: true,
    retryIntervalSeconds: 0,
    resyncIntervalMs: 0,
    log: () => {},
    ...overrides,
  });
}

/**
 * The whole back end of Stepwise for one test file, on free ports: a fresh migrated database, every emulator,
 * the app's real resource routes (/api/inngest and the Stripe webhook) over HTTP, and the local executor synced
 * to them. The process env is pointed at it all, as `npm run dev` does for the app.
 */
export async function startTestStack(
  options: TestStackOptions & { executorUrl: string },
): Promise<TestStackWithoutExecutor>;
export async function startTestStack(options?: TestStackOptions): Promise<TestStack>;
export async function startTestStack(options: TestStackOptions = {}): Promise<TestStack | TestStackWithoutExecutor> {
  let routes: FetchHandler = () => new Response("starting", { status: 503 });
  const intercept = options.intercept;
  const appServer = await serveFetchHandler(
    (request) => (intercept ? intercept(request, async (r) => routes(r)) : routes(request)),
    0,
  );
  const storageDir = await mkdtemp(path.join(tmpdir(), "stepwise-storage-"));
  const stack = await startLocalStack({
    databaseTemplate: await readTemplateDatabase(),
    storageDir,
    appUrl: appServer.url,
    ports: { postgres: 0, supabase: 0, stripe: 0, mail: 0, openai: 0 },
    webhookRetryDelaysMs: [50, 100, 200],
  });
  const executor = options.executorUrl ? undefined : await startTestExecutor();
  const executorUrl = executor?.url ?? options.executorUrl!;
  const databaseUrl = options.databaseUrl
    ? await options.databaseUrl(stack.env.DATABASE_URL!)
    : stack.env.DATABASE_URL!;
  Object.assign(process.env, stack.env, {
    STEPWISE_LOCAL_STACK: "1",
    INNGEST_DEV: executorUrl,
    DATABASE_URL: databaseUrl,
  });

  const extraRoutes = await Promise.all(
    Object.entries(options.routes ?? {}).map(async ([route, load]) => [route, await load()] as const),
  );
  const modules: Record<string, RouteModule> = {
    ...Object.fromEntries(extraRoutes),
    "/api/inngest": await import("../app/routes/api.inngest"),
    "/api/webhooks/stripe": await import("../app/routes/api.webhooks.stripe"),
  };
  routes = async (request) => {
    const route = modules[new URL(request.url).pathname];
    const handler = request.method === "GET" ? route?.loader : route?.action;
    if (!handler) return new Response("Not found", { status: 404 });
    return (await handler({ request, params: {}, context: {} } as never)) as Response;
  };
  if (executor) {
    const sync = await executor.addApp(`${appServer.url}/api/inngest`);
    if (!sync.ok) throw new Error(`The app did not sync: ${sync.error}`);
  }

  return {
    stack,
    ...(executor ? { executor } : {}),
    inngest: new ExecutorClient(executorUrl),
    appUrl: appServer.url,
    stripe: new Stripe(LOCAL_DEFAULTS.STRIPE_SECRET_KEY, {
      host: new URL(stack.env.STRIPE_API_BASE!).hostname,
      port: Number(new URL(stack.env.STRIPE_API_BASE!).port),
      protocol: "http",
    }),
    async mailTo(address) {
      const response = await fetch(`${stack.env.RESEND_BASE_URL}/api/messages?to=${encodeURIComponent(address)}`);
      return (await response.json()).data;
    },
    async stop() {
      const { closeDatabase } = await import("../app/db.server");
      await executor?.stop();
      await closeDatabase();
      await appServer.stop();
      await stack.stop();
      await rm(storageDir, { recursive: true, force: true });
    },
  };
}
