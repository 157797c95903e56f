import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { ExecutorClient } from "../../local/inngest/client";
import { startExecutor, type RunningExecutor } from "../../local/inngest/index";
import { serveFetchHandler, type FetchHandler } from "../../local/http/serve-fetch-handler";
import { startLocalStack, type LocalStack } from "../../local/start-local-stack";
import { readTemplateDatabase } from "./template-database";

export interface TestStack {
  stack: LocalStack;
  executor: RunningExecutor;
  inngest: ExecutorClient;
  appUrl: string;
  /** Emails the mailbox holds for an address, newest first. */
  mailTo(address: string): Promise<Array<{ subject: string; to: string[]; html: string; text: string }>>;
  stop(): Promise<void>;
}

type RouteModule = { loader?: (args: never) => unknown; action?: (args: never) => unknown };

/**
 * The whole back end of Stepwise for one test file, on free ports: a fresh migrated database, every emulator,
 * the app's real resource routes (/api/inngest and the Stripe webhook) over HTTP, and the local executor synced
 * to them. The process env is pointed at it all, as `npm run dev` does for the app.
 */
export async function startTestStack(): Promise<TestStack> {
  let routes: FetchHandler = () => new Response("starting", { status: 503 });
  const appServer = await serveFetchHandler((request) => routes(request), 0);
  const storageDir = await mkdtemp(path.join(tmpdir(), "stepwise-storage-"));
  const stack = await startLocalStack({
    databaseTemplate: await readTemplateDatabase(),
    storageDir,
    appUrl: appServer.url,
    ports: { postgres: 0, supabase: 0, stripe: 0, mail: 0, openai: 0 },
    webhookRetryDelaysMs: [50, 100, 200],
  });
  const executor = await startExecutor({ urls: [], port: 0, inMemory: true, retryIntervalSeconds: 0, resyncIntervalMs: 0, log: () => {} });
  Object.assign(process.env, stack.env, { INNGEST_DEV: executor.url, NODE_ENV: "test" });

  const modules: Record<string, RouteModule> = {
    "/api/inngest": await import("../../app/routes/api.inngest"),
    "/api/webhooks/stripe": await import("../../app/routes/api.webhooks.stripe"),
  };
  routes = async (request) => {
    const route = modules[new URL(request.url).pathname];
    const handler = request.method === "GET" ? route?.loader : route?.action;
    if (!handler) return new Response("Not found", { status: 404 });
    return (await handler({ request, params: {}, context: {} } as never)) as Response;
  };
  const sync = await executor.addApp(`${appServer.url}/api/inngest`);
  if (!sync.ok) throw new Error(`The app did not sync: ${sync.error}`);

  return {
    stack,
    executor,
    inngest: new ExecutorClient(executor.url),
    appUrl: appServer.url,
    async mailTo(address) {
      const response = await fetch(`${stack.env.RESEND_BASE_URL}/api/messages?to=${encodeURIComponent(address)}`);
      return (await response.json()).data;
    },
    async stop() {
      const { closeDatabase } = await import("../../app/db.server");
      await executor.stop();
      await closeDatabase();
      await appServer.stop();
      await stack.stop();
      await rm(storageDir, { recursive: true, force: true });
    },
  };
}
