import { mkdir } from "node:fs/promises";
import { serveFetchHandler } from "../http/serve-fetch-handler";
import { Clock } from "./clock";
import { openPglite, openPostgres, type Database } from "./store/database";
import { Engine } from "./engine";
import { createExecutorHandler } from "./http-api";
import { FunctionRegistry } from "./registry";
import { migrate } from "./store/schema";
import { syncApp, type SyncResult } from "./sync";

export interface ExecutorOptions {
  /** SDK serve URLs to sync, e.g. http://127.0.0.1:3000/api/inngest. */
  urls: string[];
  port?: number;
  host?: string;
  /** Persist in this directory (default .data/inngest); ignored with `inMemory` or `postgresUri`. */
  dataDir?: string;
  inMemory?: boolean;
  postgresUri?: string;
  /** Fixed seconds between retries instead of Inngest's backoff table. */
  retryIntervalSeconds?: number;
  /** Sign requests like Inngest Cloud, for testing an app's production signature checks. */
  signingKey?: string;
  /**
   * Let the SDK checkpoint (its default, as in Inngest Cloud): requests carry `ctx.fn_id` and `ctx.qi_id`, so it
   * runs several steps per request. Off, every step is a request of its own, as with an older executor.
   */
  checkpointing?: boolean;
  /** Re-sync every app this often, to pick up changed functions (0 disables). Default 5 s. */
  resyncIntervalMs?: number;
  log?: (line: string) => void;
}

export interface RunningExecutor {
  url: string;
  port: number;
  clock: Clock;
  engine: Engine;
  /** Syncs every app the executor was given, or only `url` (a Resync from the dashboard). */
  syncNow(url?: string): Promise<Record<string, SyncResult>>;
  /** Adds an app to sync from now on and syncs it at once. */
  addApp(url: string): Promise<SyncResult>;
  stop(): Promise<void>;
}

/** Starts the executor: durable state, the worker, the HTTP API and the app sync loop. */
export async function startExecutor(given: ExecutorOptions): Promise<RunningExecutor> {
  const options = { ...given, urls: [...given.urls] };
  const log = options.log ?? ((line: string) => console.log(`[inngest] ${line}`));
  const db = await openDatabase(options);
  await migrate(db);
  const clock = new Clock();
  const registry = new FunctionRegistry();
  await registry.load(db);
  const engine = new Engine({
    db,
    clock,
    registry,
    retry: { intervalSeconds: options.retryIntervalSeconds },
    signingKey: options.signingKey,
    checkpointing: options.checkpointing ?? true,
    log,
  });

  const lastError = new Map<string, string>();
  const syncNow = async (only?: string) => {
    const results: Record<string, SyncResult> = {};
    for (const url of only ? [only] : options.urls) {
      const result = await syncApp(url, { db, clock, registry, signingKey: options.signingKey });
      results[url] = result;
      if (result.ok && lastError.has(url)) log(`synced ${url}: ${result.functionCount} function(s)`);
      if (result.ok) lastError.delete(url);
      else if (lastError.get(url) !== result.error) {
        log(`waiting for ${url}: ${result.error}; retrying every few seconds`);
        lastError.set(url, result.error!);
      }
    }
    await engine.scheduleCrons();
    return results;
  };

  const handler = createExecutorHandler({ db, clock, engine, registry, syncNow, appUrls: () => options.urls });
  const server = await serveFetchHandler(handler, options.port ?? 8288, options.host ?? "127.0.0.1");
  engine.start();
  for (const url of options.urls) lastError.set(url, "");
  await syncNow();
  const resyncEvery = options.resyncIntervalMs ?? 5_000;
  const resync =
    resyncEvery > 0 ? setInterval(() => void syncNow().catch((e) => log(`sync failed: ${e}`)), resyncEvery) : undefined;

  return {
    url: server.url,
    port: server.port,
    clock,
    engine,
    syncNow,
    async addApp(url: string) {
      if (!options.urls.includes(url)) options.urls.push(url);
      return (await syncNow())[url]!;
    },
    async stop() {
      clearInterval(resync);
      await server.stop();
      await engine.stop();
      await db.close();
    },
  };
}

async function openDatabase(options: ExecutorOptions): Promise<Database> {
  if (options.postgresUri) return openPostgres(options.postgresUri);
  if (options.inMemory) return openPglite();
  const dir = options.dataDir ?? ".data/inngest";
  await mkdir(dir, { recursive: true });
  return openPglite(dir);
}
