import { http, HttpResponse } from "msw";
import { setupServer } from "msw/node";
import postgres from "postgres";
import { LOCAL_DEFAULTS } from "../../../contracts/local-defaults";
import { createResendEmulator } from "../../../local/emulators/resend/index";
import { createStripeEmulator } from "../../../local/emulators/stripe/index";
import { mswHandlersFor } from "../../../local/http/msw-handlers";
import { createUser } from "../../support/rows";
import { startTestDatabase, type TestDatabase } from "../../../harness/test-database";

// Hosts that exist only inside MSW: the app's real Stripe, Resend and Inngest SDKs talk to them without ports.
const STRIPE_BASE = "http://stripe.test";
const RESEND_BASE = "http://resend.test";
const INNGEST_BASE = "http://inngest.test";
const APP_BASE = "http://app.test";

export interface SentInngestEvent {
  id?: string;
  name: string;
  data: Record<string, unknown>;
}

export interface StepTestServices {
  database: TestDatabase;
  /** A superuser pool, for arranging rows and reading what a step wrote. */
  sql: postgres.Sql;
  stripe: Awaited<ReturnType<typeof createStripeEmulator>>;
  resend: Awaited<ReturnType<typeof createResendEmulator>>;
  /** Every event the app sent to Inngest, in order. */
  sentEvents: SentInngestEvent[];
  /** Messages the Resend emulator accepted for an address, newest first. */
  mailTo(address: string): Promise<Array<{ subject: string; html: string; text: string }>>;
  /** A user as Supabase Auth creates one (the profile row comes from the database trigger). */
  createUser(options?: {
    name?: string;
  }): Promise<{ id: string; email: string; claims: { sub: string; role: string; email: string } }>;
  stop(): Promise<void>;
}

/**
 * What a step needs to run for real in a unit test: a fresh migrated database, and the Stripe and Resend
 * emulators mounted in MSW behind the app's own SDK clients. Inngest event sends are captured, not delivered.
 * Call it before importing any app module: it points the environment at these services.
 */
export async function startStepTestServices(): Promise<StepTestServices> {
  const database = await startTestDatabase();
  const sql = postgres(database.url, { prepare: false, max: 3, onnotice: () => {} });
  const stripe = await createStripeEmulator({
    sql,
    apiKey: LOCAL_DEFAULTS.STRIPE_SECRET_KEY,
    webhookSecret: LOCAL_DEFAULTS.STRIPE_WEBHOOK_SECRET,
    webhookUrl: `${APP_BASE}/api/webhooks/stripe`,
    publicUrl: STRIPE_BASE,
    webhookRetryDelaysMs: [],
    log: () => {},
  });
  const resend = await createResendEmulator({ sql, apiKey: LOCAL_DEFAULTS.RESEND_API_KEY });
  const sentEvents: SentInngestEvent[] = [];
  const server = setupServer(
    ...mswHandlersFor(STRIPE_BASE, stripe.handler),
    ...mswHandlersFor(RESEND_BASE, resend.handler),
    // Webhooks the Stripe emulator emits; the route has its own test.
    http.post(`${APP_BASE}/api/webhooks/stripe`, () => HttpResponse.json({ received: true })),
    http.post(`${INNGEST_BASE}/e/:key`, async ({ request }) => {
      const body = (await request.json()) as SentInngestEvent | SentInngestEvent[];
      const events = Array.isArray(body) ? body : [body];
      sentEvents.push(...events);
      return HttpResponse.json({ ids: events.map((_, i) => `captured-${sentEvents.length + i}`), status: 200 });
    }),
  );
  server.listen({ onUnhandledRequest: "error" });
  Object.assign(process.env, {
    STEPWISE_LOCAL_STACK: "1",
    DATABASE_URL: database.url,
    STRIPE_API_BASE: STRIPE_BASE,
    RESEND_BASE_URL: RESEND_BASE,
    INNGEST_DEV: INNGEST_BASE,
    APP_URL: APP_BASE,
  });

  return {
    database,
    sql,
    stripe,
    resend,
    sentEvents,
    async mailTo(address) {
      const response = await resend.handler(
        new Request(`${RESEND_BASE}/api/messages?to=${encodeURIComponent(address)}`),
      );
      return (await response.json()).data;
    },
    createUser: (options) => createUser(sql, options),
    async stop() {
      const { closeDatabase } = await import("../../../app/db.server");
      await stripe.webhooks.settled();
      server.close();
      await closeDatabase();
      await sql.end({ timeout: 2 });
      await database.stop();
    },
  };
}
