import type { PGlite } from "@electric-sql/pglite";
import postgres from "postgres";
import { LOCAL_DEFAULTS, LOCAL_PORTS } from "../app/local-stack";
import { openEmbeddedDatabase } from "./db/open-embedded-database";
import { serveEmbeddedDatabase } from "./db/serve-embedded-database";

export interface LocalStackOptions {
  /** Persist under this directory (dev); omit with `databaseTemplate` for a throwaway stack (tests). */
  dbDataDir?: string;
  /** A dumped, migrated data dir to start from instead of migrating (tests). */
  databaseTemplate?: Blob;
  /** Fixed ports for dev; tests pass 0 for each to get free ones. */
  ports?: Partial<Record<keyof typeof LOCAL_PORTS, number>>;
}

export interface LocalStack {
  /** The environment the app needs to reach every local service (merge into process.env). */
  env: Record<string, string>;
  db: PGlite;
  /** A superuser pool on the embedded database, for the emulators and tests. */
  sql: postgres.Sql;
  urls: Record<string, string>;
  stop(): Promise<void>;
}

/**
 * Starts the embedded services the app talks to: Postgres, then the emulators of Supabase, Stripe, Resend
 * and OpenAI. The Inngest executor and the app are started by the caller, which knows where the app runs.
 */
export async function startLocalStack(options: LocalStackOptions = {}): Promise<LocalStack> {
  const ports = { ...LOCAL_PORTS, ...options.ports };
  const stoppers: Array<() => Promise<void>> = [];
  const db = await openEmbeddedDatabase({ dataDir: options.dbDataDir, loadDataDir: options.databaseTemplate });
  stoppers.push(() => db.close());
  const dbServer = await serveEmbeddedDatabase(db, ports.postgres);
  stoppers.push(dbServer.stop);
  const sql = postgres(dbServer.url, { prepare: false, max: 5, onnotice: () => {} });
  stoppers.push(() => sql.end({ timeout: 2 }));

  const env: Record<string, string> = { ...LOCAL_DEFAULTS, DATABASE_URL: dbServer.url };
  const urls: Record<string, string> = { postgres: dbServer.url };

  return {
    env,
    db,
    sql,
    urls,
    async stop() {
      for (const stop of stoppers.reverse()) await stop().catch((error) => console.warn(`stopping: ${error}`));
    },
  };
}
