import type { PGlite } from "@electric-sql/pglite";
import postgres from "postgres";
import { LOCAL_DEFAULTS, LOCAL_PORTS } from "../contracts/local-defaults";
import { openEmbeddedDatabase } from "./db/open-embedded-database";
import { serveEmbeddedDatabase } from "./db/serve-embedded-database";
import { startOpenAIEmulator } from "./emulators/openai/index";
import { startResendEmulator } from "./emulators/resend/index";
import { startStripeEmulator } from "./emulators/stripe/index";
import { startSupabaseEmulator } from "./emulators/supabase/index";
import type { SigningKey } from "./emulators/supabase/jwt";
import { LOCAL_SERVICES, type LocalService } from "./service-choice";

export interface LocalStackOptions {
  /** Persist under this directory (dev); omit it and pass `databaseTemplate` for a throwaway stack (tests). */
  dbDataDir?: string;
  /** A dumped, migrated data dir to start from instead of migrating (tests). */
  databaseTemplate?: Blob;
  /** Fixed ports for dev; tests pass 0 for each to get free ones. */
  ports?: Partial<Record<keyof typeof LOCAL_PORTS, number>>;
  /** Where Storage keeps uploaded bytes. */
  storageDir: string;
  /** The key Auth signs access tokens with (dev keeps one); a new one each start if omitted. */
  supabaseSigningKey?: SigningKey;
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
  return (await startEmbeddedServices({ ...options, embed: new Set(LOCAL_SERVICES) })) as LocalStack;
}

export interface EmbeddedServicesOptions extends LocalStackOptions {
  /** Only these; the others are the developer's (the real service or its own local tool). */
  embed: ReadonlySet<LocalService>;
  /** The developer's Postgres, where the Stripe and Resend emulators keep their state when `db` is not embedded. */
  databaseUrl?: string;
}

export type EmbeddedServices = Omit<LocalStack, "emulators" | "db" | "sql"> &
  Partial<Pick<LocalStack, "db" | "sql">> & { emulators: Partial<LocalStack["emulators"]> };

/** The embedded services `embed` names, and the environment for them alone. */
export async function startEmbeddedServices(options: EmbeddedServicesOptions): Promise<EmbeddedServices> {
  const { embed } = options;
  const ports = { ...LOCAL_PORTS, ...options.ports };
  const stoppers: Array<() => Promise<void>> = [];
  const keys = LOCAL_DEFAULTS;
  const env: Record<string, string> = { APP_URL: options.appUrl };
  const urls: Record<string, string> = {};
  const emulators: EmbeddedServices["emulators"] = {};

  let db: PGlite | undefined;
  let databaseUrl = options.databaseUrl;
  if (embed.has("db")) {
    db = await openEmbeddedDatabase({ dataDir: options.dbDataDir, loadDataDir: options.databaseTemplate });
    stoppers.push(() => db!.close());
    const dbServer = await serveEmbeddedDatabase(db, ports.postgres);
    stoppers.push(dbServer.stop);
    databaseUrl = dbServer.url;
    Object.assign(env, { DATABASE_URL: dbServer.url });
    urls.Postgres = dbServer.url;
  }
  const needsSql = embed.has("db") || embed.has("supabase") || embed.has("stripe") || embed.has("mail");
  if (needsSql && !databaseUrl) throw new Error("The Stripe and Resend emulators need DATABASE_URL for their state");
  const sql = needsSql ? postgres(databaseUrl!, { prepare: false, max: 5, onnotice: () => {} }) : undefined;
  if (sql) stoppers.push(() => sql.end({ timeout: 2 }));

  if (embed.has("supabase")) {
    const supabase = await startSupabaseEmulator({
      sql: sql!,
      jwtSecret: keys.SUPABASE_JWT_SECRET,
      signingKey: options.supabaseSigningKey,
      storageDir: options.storageDir,
      port: ports.supabase,
    });
    stoppers.push(supabase.stop);
    Object.assign(env, pick(keys, "SUPABASE_JWT_SECRET", "SUPABASE_ANON_KEY", "SUPABASE_SERVICE_ROLE_KEY"));
    env.SUPABASE_URL = supabase.url;
    urls["Supabase API (auth, storage)"] = supabase.url;
  }
  if (embed.has("stripe")) {
    const stripe = await startStripeEmulator({
      sql: sql!,
      apiKey: keys.STRIPE_SECRET_KEY,
      webhookSecret: keys.STRIPE_WEBHOOK_SECRET,
      webhookUrl: `${options.appUrl}/api/webhooks/stripe`,
      webhookRetryDelaysMs: options.webhookRetryDelaysMs,
      port: ports.stripe,
    });
    stoppers.push(stripe.stop);
    emulators.stripe = stripe;
    Object.assign(env, pick(keys, "STRIPE_SECRET_KEY", "STRIPE_WEBHOOK_SECRET"), { STRIPE_API_BASE: stripe.url });
    urls["Stripe (checkout, webhooks)"] = stripe.url;
  }
  if (embed.has("mail")) {
    const resend = await startResendEmulator({ sql: sql!, apiKey: keys.RESEND_API_KEY, port: ports.mail });
    stoppers.push(resend.stop);
    emulators.resend = resend;
    Object.assign(env, pick(keys, "RESEND_API_KEY", "EMAIL_FROM"), { RESEND_BASE_URL: resend.url });
    urls["Mailbox (Resend)"] = resend.url;
  }
  if (embed.has("openai")) {
    const openai = await startOpenAIEmulator({ apiKey: keys.OPENAI_API_KEY, port: ports.openai });
    stoppers.push(openai.stop);
    emulators.openai = openai;
    Object.assign(env, pick(keys, "OPENAI_API_KEY"), { OPENAI_BASE_URL: `${openai.url}/v1` });
    urls["OpenAI embeddings"] = `${openai.url}/v1`;
  }
  if (embed.has("inngest")) env.INNGEST_DEV = keys.INNGEST_DEV;

  return {
    emulators,
    env,
    db,
    sql,
    urls,
    async stop() {
      for (const stop of stoppers.reverse()) await stop().catch((error) => console.warn(`stopping: ${error}`));
    },
  };
}

function pick<T extends Record<string, string>, K extends keyof T>(source: T, ...names: K[]): Pick<T, K> {
  return Object.fromEntries(names.map((name) => [name, source[name]])) as Pick<T, K>;
}
