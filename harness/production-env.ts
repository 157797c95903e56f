/**
 * What a production deploy sets in the Netlify UI: every required variable, none of them the local stack's
 * published values, no local switch. Tests spread it and override what they examine.
 */
export const PRODUCTION_ENV = {
  APP_URL: "https://stepwise.example",
  DATABASE_URL: "postgres://postgres.ref:pw@aws-0-eu-central-1.pooler.supabase.com:6543/postgres",
  SUPABASE_URL: "https://ref.supabase.co",
  SUPABASE_ANON_KEY: "anon-key-0123456789abcdef",
  SUPABASE_SERVICE_ROLE_KEY: "service-role-key-0123456789abcdef",
  STRIPE_SECRET_KEY: "sk_test_51production",
  STRIPE_WEBHOOK_SECRET: "whsec_production",
  RESEND_API_KEY: "re_production",
  EMAIL_FROM: "Stepwise <hello@stepwise.example>",
  OPENAI_API_KEY: "sk-production",
  INNGEST_SIGNING_KEY: "signkey-prod-6b1e1c0d2f3a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f9012345678",
  INNGEST_EVENT_KEY: "event-key",
};
