import { LOCAL_DEFAULTS } from "../contracts/local-defaults";

/** The services `npm run dev` can embed; each can be swapped for the real one or its official local tool. */
export type LocalService = "db" | "supabase" | "stripe" | "mail" | "openai" | "inngest";
export const LOCAL_SERVICES: readonly LocalService[] = ["db", "supabase", "stripe", "mail", "openai", "inngest"];

type DefaultedVariable = keyof typeof LOCAL_DEFAULTS;

/** The variables that point the app at each service: set one to anything but its local default to swap it. */
const VARIABLES: Record<LocalService, DefaultedVariable[]> = {
  db: ["DATABASE_URL"],
  supabase: ["SUPABASE_URL", "SUPABASE_ANON_KEY", "SUPABASE_SERVICE_ROLE_KEY"],
  stripe: ["STRIPE_SECRET_KEY", "STRIPE_WEBHOOK_SECRET", "STRIPE_API_BASE"],
  mail: ["RESEND_API_KEY", "RESEND_BASE_URL"],
  openai: ["OPENAI_API_KEY", "OPENAI_BASE_URL"],
  inngest: ["INNGEST_DEV"],
};

/**
 * Where an SDK goes when its base URL is unset. A swapped service gets it spelled out, so nothing can fill in the
 * local emulator's address for the one variable the developer did not set.
 */
export const REAL_API_BASES: Partial<Record<DefaultedVariable, string>> = {
  STRIPE_API_BASE: "https://api.stripe.com",
  RESEND_BASE_URL: "https://api.resend.com",
  OPENAI_BASE_URL: "https://api.openai.com/v1",
};

/** What a swapped service needs from the developer; the URLs of `supabase start` and `inngest-cli dev` are ours. */
const REQUIRED_WHEN_SWAPPED: Record<LocalService, DefaultedVariable[]> = {
  db: [],
  supabase: ["SUPABASE_ANON_KEY", "SUPABASE_SERVICE_ROLE_KEY"],
  stripe: ["STRIPE_SECRET_KEY", "STRIPE_WEBHOOK_SECRET"],
  mail: ["RESEND_API_KEY", "EMAIL_FROM"],
  openai: ["OPENAI_API_KEY"],
  inngest: [],
};

export interface ServiceChoice {
  embedded: Set<LocalService>;
  /** Why each service that is not embedded is not, for the start-up banner. */
  external: Map<LocalService, string>;
  /** Variables a swapped service still needs (a local default would not work with the real one). */
  missing: string[];
}

/**
 * Embeds a service unless `--no-<service>` is passed or one of its variables is set to something other than the
 * local default (`supabase start` serves Auth and Postgres on our default ports, hence the flags). The Supabase
 * emulator keeps its users in the embedded database, so those two are swapped together.
 */
export function chooseServices(env: Record<string, string | undefined>, argv: readonly string[]): ServiceChoice {
  const external = new Map<LocalService, string>();
  for (const service of LOCAL_SERVICES) {
    const changed = VARIABLES[service].find((name) => env[name] && env[name] !== LOCAL_DEFAULTS[name]);
    if (argv.includes(`--no-${service}`)) external.set(service, `--no-${service}`);
    else if (changed) external.set(service, `${changed} is set`);
  }
  for (const [one, other] of [
    ["supabase", "db"],
    ["db", "supabase"],
  ] as const) {
    const reason = external.get(one);
    if (reason && !external.has(other)) external.set(other, `swapped with ${one} (${reason})`);
  }
  const missing = [...external.keys()].flatMap((service) =>
    REQUIRED_WHEN_SWAPPED[service].filter((name) => !env[name] || env[name] === LOCAL_DEFAULTS[name]),
  );
  return { embedded: new Set(LOCAL_SERVICES.filter((service) => !external.has(service))), external, missing };
}
