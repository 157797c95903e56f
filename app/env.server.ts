import { z } from "zod";
import { LOCAL_DEFAULTS } from "../contracts/local-defaults";
import { isLocalStack, netlifyDeploy, type NetlifyDeploy } from "./deploy.server";

const url = (what: string) => z.url({ error: `must be a URL (${what})` });

const EnvSchema = z.object({
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
  INNGEST_SIGNING_KEY_FALLBACK: z
    .string()
    .regex(/^signkey-\w+-/, "must start with signkey-<env>-")
    .optional(),
});

export type Env = z.infer<typeof EnvSchema> & {
  /** True only under the local launcher (`npm run dev`, the test stacks): local defaults, plain http, dev tools. */
  localStack: boolean;
  /** The Netlify deploy the build was made for, or null. */
  deploy: NetlifyDeploy | null;
};

// The embedded stack's published credentials: anyone can read them here, so they guard nothing once deployed.
const LOCAL_SECRETS = [
  "SUPABASE_SERVICE_ROLE_KEY",
  "STRIPE_SECRET_KEY",
  "STRIPE_WEBHOOK_SECRET",
  "RESEND_API_KEY",
  "OPENAI_API_KEY",
] as const;

/** The variables as given, empty ones dropped; the local stack's addresses fill the gaps only under the launcher. */
function withDefaults(source: Record<string, string | undefined>, localStack: boolean, deploy: NetlifyDeploy | null) {
  const given = Object.fromEntries(Object.entries(source).filter(([, value]) => value !== undefined && value !== ""));
  if (localStack) return { ...LOCAL_DEFAULTS, ...given };
  // A Netlify build knows its own public URL (the preview's for a preview), so APP_URL need not be set per context.
  return deploy?.url && !given.APP_URL ? { ...given, APP_URL: deploy.url } : given;
}

/** Outside the local launcher: signed Inngest only, HTTPS, and none of the local stack's published secrets. */
function checkProductionRules(env: z.infer<typeof EnvSchema>): string[] {
  const problems: string[] = [];
  if (env.INNGEST_DEV)
    problems.push("INNGEST_DEV must not be set outside the local stack (it would turn off Inngest request signing)");
  if (!env.INNGEST_SIGNING_KEY) problems.push("INNGEST_SIGNING_KEY is required (Inngest → Manage → Signing key)");
  if (!env.INNGEST_EVENT_KEY) problems.push("INNGEST_EVENT_KEY is required (Inngest → Manage → Event keys)");
  if (new URL(env.APP_URL).protocol !== "https:")
    problems.push("APP_URL must be an https:// URL (session cookies are Secure)");
  for (const name of LOCAL_SECRETS)
    if (env[name] === LOCAL_DEFAULTS[name]) problems.push(`${name} is the local stack's published value; set your own`);
  return problems;
}

export class EnvError extends Error {}

/**
 * The validated environment. Local defaults apply only when `STEPWISE_LOCAL_STACK=1`, which the local launcher sets
 * for itself; every other process (a Netlify function, `remix-serve build`) gets the production rules.
 */
export function parseEnv(
  source: Record<string, string | undefined> = process.env,
  deploy: NetlifyDeploy | null = netlifyDeploy,
): Env {
  const localStack = isLocalStack(source);
  if (localStack && deploy)
    throw new EnvError(
      `Invalid environment: STEPWISE_LOCAL_STACK must not be set on a Netlify deploy (${deploy.context}); remove it`,
    );
  const result = EnvSchema.safeParse(withDefaults(source, localStack, deploy));
  const problems = result.success
    ? localStack
      ? []
      : checkProductionRules(result.data)
    : result.error.issues.map((issue) => {
        const name = String(issue.path[0]);
        return issue.code === "invalid_type" ? `${name} is required; see .env.example` : `${name} ${issue.message}`;
      });
  if (problems.length > 0) throw new EnvError(`Invalid environment: ${problems.join("; ")}`);
  return { ...result.data!, localStack, deploy };
}

let cached: Env | undefined;

/** The parsed environment, read once per process. */
export function env(): Env {
  cached ??= parseEnv();
  return cached;
}
