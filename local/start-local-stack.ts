import type { PGlite } from "@electric-sql/pglite";
import postgres from "postgres";
import { LOCAL_DEFAULTS, LOCAL_PORTS } from "../contracts/local-defaults";
import { openEmbeddedDatabase } from "./db/open-embedded-database";
import { serveEmbeddedDatabase } from "./db/serve-embedded-database";
import { startOpenAIEmulator } from "./emulators/openai/index";
import { startResendEmulator } from "./emulators/resend/index";
import { startStripeEmulator } from "./emulators/stripe/index";
import { startSupabaseEmulator } from "./emulators/supabase/index";

export interface LocalStackOptions {
  /** Persist under this directory (dev); omit it and pass `databaseTemplate` for a throwaway stack (tests). */
  dbDataDir?: string;
  /** A dumped, migrated data dir to start from instead of migrating (tests). */
  databaseTemplate?: Blob;
  /** Fixed ports for dev; tests pass 0 for each to get free ones. */
  ports?: Partial<Record<keyof typeof LOCAL_PORTS, number>>;
  /** Where Storage keeps uploaded bytes. */
  storageDir: string;
  /** The app's origin, where the Stripe emulator delivers webhooks. */
  appUrl: string;
  /** Stripe webhook retry waits (tests shorten them). */
  webhookRetryDelaysMs?: number[];
}

export interface LocalStack {
  emulators: {
    stripe: Awaited<ReturnType<typeof startStripeEmulator>>;
    resend: Awaited<ReturnType<typeof startResendEmulator>>;
    openai: Awaited<ReturnType<typeof startOpenAIEmulator>>;
  };
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
 * and OpenAI, and returns the environment that points the app's SDKs at them. The Inngest executor and the
 * app are started by the caller, which knows where the app runs.
 */
export async function startLocalStack(options: LocalStackOptions): Promise<LocalStack> {
  const ports = { ...LOCAL_PORTS, ...options.ports };
  const stoppers: Array<() => Promise<void>> = [];
  const db = await openEmbeddedDatabase({ dataDir: options.dbDataDir, loadDataDir: options.databaseTemplate });
  stoppers.push(() => db.close());
  const dbServer = await serveEmbeddedDatabase(db, ports.postgres);
  stoppers.push(dbServer.stop);
  const sql = postgres(dbServer.url, { prepare: false, max: 5, onnotice: () => {} });
  stoppers.push(() => sql.end({ timeout: 2 }));

  const keys = LOCAL_DEFAULTS;
  const supabase = await startSupabaseEmulator({
    sql,
    jwtSecret: keys.SUPABASE_JWT_SECRET,
    storageDir: options.storageDir,
    port: ports.supabase,
  });
  stoppers.push(supabase.stop);
  const stripe = await startStripeEmulator({
    sql,
    apiKey: keys.STRIPE_SECRET_KEY,
    webhookSecret: keys.STRIPE_WEBHOOK_SECRET,
    webhookUrl: `${options.appUrl}/api/webhooks/stripe`,
    webhookRetryDelaysMs: options.webhookRetryDelaysMs,
    port: ports.stripe,
  });
  stoppers.push(stripe.stop);
  const resend = await startResendEmulator({ sql, apiKey: keys.RESEND_API_KEY, port: ports.mail });
  stoppers.push(resend.stop);
  const openai = await startOpenAIEmulator({ apiKey: keys.OPENAI_API_KEY, port: ports.openai });
  stoppers.push(openai.stop);

  const env: Record<string, string> = {
    ...LOCAL_DEFAULTS,
    APP_URL: options.appUrl,
    DATABASE_URL: dbServer.url,
    SUPABASE_URL: supabase.url,
    STRIPE_API_BASE: stripe.url,
    RESEND_BASE_URL: resend.url,
    OPENAI_BASE_URL: `${openai.url}/v1`,
  };
  const urls: Record<string, string> = {
    "Supabase API (auth, storage)": supabase.url,
    Postgres: dbServer.url,
    "Mailbox (Resend)": resend.url,
    "Stripe (checkout, webhooks)": stripe.url,
    "OpenAI embeddings": `${openai.url}/v1`,
  };

  return {
    emulators: { stripe, resend, openai },
    env,
    db,
    sql,
    urls,
    async stop() {
      for (const stop of stoppers.reverse()) await stop().catch((error) => console.warn(`stopping: ${error}`));
    },
  };
}
