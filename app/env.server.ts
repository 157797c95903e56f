import { z } from "zod";
import { LOCAL_DEFAULTS } from "../contracts/local-defaults";

const url = (what: string) => z.url({ error: `must be a URL (${what})` });

const EnvSchema = z.object({
  NODE_ENV: z.enum(["development", "test", "production"]).default("development"),
  APP_URL: url("the public origin of the app, e.g. https://stepwise.netlify.app"),
  DATABASE_URL: z
    .string()
    .regex(
      /^postgres(ql)?:\/\/[^/]+\/\w+/,
      "must be a postgres:// connection string, e.g. postgres://user:pass@host:5432/postgres",
    ),
  SUPABASE_URL: url("your project's API URL, e.g. https://<ref>.supabase.co"),
  SUPABASE_ANON_KEY: z.string().min(20, "must be the project's anon (publishable) key"),
  SUPABASE_SERVICE_ROLE_KEY: z.string().min(20, "must be the project's service_role (secret) key"),
  STRIPE_SECRET_KEY: z.string().regex(/^(sk|rk)_(test|live)_/, "must start with sk_test_, sk_live_ or rk_"),
  STRIPE_WEBHOOK_SECRET: z.string().regex(/^whsec_/, "must start with whsec_ (the webhook endpoint's signing secret)"),
  STRIPE_API_BASE: url("leave unset to use api.stripe.com").optional(),
  STRIPE_PRO_PRICE_ID: z
    .string()
    .regex(/^price_/, "must start with price_")
    .optional(),
  RESEND_API_KEY: z.string().regex(/^re_/, "must start with re_"),
  RESEND_BASE_URL: url("leave unset to use api.resend.com").optional(),
  EMAIL_FROM: z.string().regex(/^.+<[^@\s]+@[^@\s]+>$|^[^@\s]+@[^@\s]+$/, 'must be an address or "Name <address>"'),
  OPENAI_API_KEY: z.string().min(8, "must be an OpenAI API key"),
  OPENAI_BASE_URL: url("leave unset to use api.openai.com").optional(),
  INNGEST_DEV: z.string().optional(),
  INNGEST_EVENT_KEY: z.string().optional(),
  INNGEST_SIGNING_KEY: z
    .string()
    .regex(/^signkey-\w+-/, "must start with signkey-<env>-")
    .optional(),
});

export type Env = z.infer<typeof EnvSchema>;

/** Fills the local stack's addresses in for every variable left unset, outside production only. */
function withLocalDefaults(source: NodeJS.ProcessEnv): Record<string, string | undefined> {
  if (source.NODE_ENV === "production") return { ...source };
  const merged: Record<string, string | undefined> = { ...LOCAL_DEFAULTS };
  for (const [key, value] of Object.entries(source)) if (value !== undefined && value !== "") merged[key] = value;
  return merged;
}

/** Production must name its signing and event keys and must never point at a dev server. */
function checkProductionRules(env: Env): string[] {
  if (env.NODE_ENV !== "production") return [];
  const problems: string[] = [];
  if (env.INNGEST_DEV) problems.push("INNGEST_DEV must not be set in production (it turns off request signing)");
  if (!env.INNGEST_SIGNING_KEY) problems.push("INNGEST_SIGNING_KEY is required in production (Inngest app settings)");
  if (!env.INNGEST_EVENT_KEY) problems.push("INNGEST_EVENT_KEY is required in production (Inngest event keys)");
  return problems;
}

export class EnvError extends Error {}

export function parseEnv(source: NodeJS.ProcessEnv = process.env): Env {
  const result = EnvSchema.safeParse(withLocalDefaults(source));
  const problems = result.success
    ? checkProductionRules(result.data)
    : result.error.issues.map((issue) => {
        const name = String(issue.path[0]);
        return issue.code === "invalid_type" ? `${name} is required; see .env.example` : `${name} ${issue.message}`;
      });
  if (problems.length > 0) throw new EnvError(`Invalid environment: ${problems.join("; ")}`);
  return result.data!;
}

let cached: Env | undefined;

/** The parsed environment, read once per process. */
export function env(): Env {
  cached ??= parseEnv();
  return cached;
}
