import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, afterEach, describe, expect, it, vi } from "vitest";
import { LOCAL_DEFAULTS } from "../../contracts/local-defaults";
import { readTemplateDatabase } from "../../harness/template-database";
import { serveFetchHandler } from "../../local/http/serve-fetch-handler";
import { MissingVariablesError, startDevServices, type DevServices } from "../../local/dev-services";
import { chooseServices } from "../../local/service-choice";

// `npm run dev` embeds only the services the developer has not swapped for the real one or its own local tool
// (`supabase start`, `npx inngest-cli dev`, Stripe test mode with `stripe listen`).

const FREE_PORTS = { postgres: 0, supabase: 0, stripe: 0, mail: 0, openai: 0, inngest: 0 };
const cleanups: Array<() => Promise<void>> = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});
afterEach(() => {
  vi.unstubAllEnvs();
});

async function start(env: Record<string, string | undefined>, argv: string[]): Promise<DevServices> {
  const storageDir = await mkdtemp(path.join(tmpdir(), "stepwise-dev-"));
  const services = await startDevServices({
    env,
    argv,
    databaseTemplate: await readTemplateDatabase(),
    storageDir,
    ports: FREE_PORTS,
    appUrl: "http://127.0.0.1:9",
  });
  cleanups.push(async () => {
    await services.stop();
    await rm(storageDir, { recursive: true, force: true });
  });
  return services;
}

describe("npm run dev with Stripe pointed at another server", () => {
  it("does not start the Stripe emulator, and the app's Stripe calls reach that server with its key", async () => {
    const seen: Array<{ path: string; authorization: string | null }> = [];
    const otherStripe = await serveFetchHandler((request) => {
      seen.push({ path: new URL(request.url).pathname, authorization: request.headers.get("authorization") });
      return Response.json({ id: "cus_other", object: "customer", email: "ada@example.com" });
    }, 0);
    cleanups.push(otherStripe.stop);
    const env: Record<string, string | undefined> = {
      STRIPE_SECRET_KEY: "sk_test_from_stripe_test_mode",
      STRIPE_WEBHOOK_SECRET: "whsec_from_stripe_listen",
      STRIPE_API_BASE: otherStripe.url,
    };
    const services = await start(env, ["--no-inngest"]);

    expect(services.stack.emulators.stripe).toBeUndefined();
    expect(Object.keys(services.urls).some((name) => name.startsWith("Stripe"))).toBe(false);
    expect(services.choice.external.get("stripe")).toBe("STRIPE_SECRET_KEY is set");
    expect(env).toMatchObject({
      STRIPE_SECRET_KEY: "sk_test_from_stripe_test_mode",
      STRIPE_WEBHOOK_SECRET: "whsec_from_stripe_listen",
      STRIPE_API_BASE: otherStripe.url,
    });
    // The rest is still embedded and pointed at.
    expect(services.stack.emulators.resend).toBeDefined();
    expect(env.SUPABASE_URL).toBe(services.stack.env.SUPABASE_URL);
    expect(env.INNGEST_DEV).toBeUndefined();

    for (const [name, value] of Object.entries(env)) vi.stubEnv(name, value);
    vi.stubEnv("NODE_ENV", "development");
    vi.resetModules();
    const { stripe } = await import("../../app/services/stripe.server");
    const customer = await stripe().customers.create({ email: "ada@example.com" });
    expect(customer.id).toBe("cus_other");
    expect(seen).toEqual([{ path: "/v1/customers", authorization: "Bearer sk_test_from_stripe_test_mode" }]);
  });

  it("sends a swapped Stripe whose base URL is unset to api.stripe.com, never to the emulator's address", async () => {
    const choice = chooseServices({ STRIPE_SECRET_KEY: "sk_test_real", STRIPE_WEBHOOK_SECRET: "whsec_real" }, []);
    expect(choice.embedded.has("stripe")).toBe(false);
    const env: Record<string, string | undefined> = {
      STRIPE_SECRET_KEY: "sk_test_real",
      STRIPE_WEBHOOK_SECRET: "whsec_real",
      OPENAI_API_KEY: "sk-real-openai-key",
    };
    await start(env, ["--no-inngest"]);
    expect(env.STRIPE_API_BASE).toBe("https://api.stripe.com");
    expect(env.OPENAI_BASE_URL).toBe("https://api.openai.com/v1");
  });
});

describe("choosing what to embed", () => {
  it("embeds everything when nothing is set or every variable keeps its local default", () => {
    expect([...chooseServices({}, []).embedded]).toEqual(["db", "supabase", "stripe", "mail", "openai", "inngest"]);
    expect(chooseServices({ ...LOCAL_DEFAULTS }, []).external.size).toBe(0);
  });

  it("swaps Supabase and its Postgres together for `supabase start`, and asks for that project's keys", () => {
    const choice = chooseServices({}, ["--no-supabase"]);
    expect(choice.embedded.has("supabase")).toBe(false);
    expect(choice.external.get("db")).toBe("swapped with supabase (--no-supabase)");
    expect(choice.missing).toEqual(["SUPABASE_ANON_KEY", "SUPABASE_SERVICE_ROLE_KEY"]);
  });

  it("leaves Inngest to `npx inngest-cli dev` with --no-inngest, on the same URL", () => {
    const choice = chooseServices({}, ["--no-inngest"]);
    expect([...choice.external.keys()]).toEqual(["inngest"]);
    expect(choice.missing).toEqual([]);
  });

  it("refuses to start a swapped service without the keys the real one needs, and names them", async () => {
    const starting = start({ RESEND_BASE_URL: "https://api.resend.com" }, ["--no-inngest"]);
    await expect(starting).rejects.toBeInstanceOf(MissingVariablesError);
    await expect(starting).rejects.toThrow(
      'Swapped for your own: mail (RESEND_BASE_URL is set), inngest (--no-inngest). Set RESEND_API_KEY, EMAIL_FROM for it; see README "Use the real services".',
    );
  });
});
