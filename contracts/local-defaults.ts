/**
 * Addresses and credentials of the embedded local stack (`npm run dev`, tests). They are the defaults only when
 * the local launcher sets STEPWISE_LOCAL_STACK=1; they guard nothing but a developer's own loopback services.
 */
export const LOCAL_PORTS = {
  app: 3000,
  supabase: 54321,
  postgres: 54322,
  mail: 54324,
  openai: 54330,
  stripe: 12111,
  inngest: 8288,
} as const;

const LOCAL_JWT_SECRET = "stepwise-local-jwt-secret-for-the-embedded-stack-only";

export const LOCAL_DEFAULTS = {
  APP_URL: `http://localhost:${LOCAL_PORTS.app}`,
  DATABASE_URL: `postgres://postgres:postgres@127.0.0.1:${LOCAL_PORTS.postgres}/postgres`,
  SUPABASE_URL: `http://127.0.0.1:${LOCAL_PORTS.supabase}`,
  SUPABASE_JWT_SECRET: LOCAL_JWT_SECRET,
  // HS256 JWTs for the anon and service_role API roles, signed with LOCAL_JWT_SECRET.
  SUPABASE_ANON_KEY:
    "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJzdXBhYmFzZS1sb2NhbCIsInJvbGUiOiJhbm9uIiwiaWF0IjoxNzk1NjAwMDAwLCJleHAiOjQxMDI0NDQ4MDB9.kWOjuXUFY7-8wxWhsaAq_GrPsmlvsU1pC3NXnxvHscg",
  SUPABASE_SERVICE_ROLE_KEY:
    "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJzdXBhYmFzZS1sb2NhbCIsInJvbGUiOiJzZXJ2aWNlX3JvbGUiLCJpYXQiOjE3OTU2MDAwMDAsImV4cCI6NDEwMjQ0NDgwMH0.Ikw3LZ4K14ZzDxIIsC_jO0OsQbBvC4caoaT2Hhp6KH8",
  STRIPE_SECRET_KEY: "sk_test_stepwise_local",
  STRIPE_WEBHOOK_SECRET: "whsec_stepwise_local",
  STRIPE_API_BASE: `http://127.0.0.1:${LOCAL_PORTS.stripe}`,
  RESEND_API_KEY: "re_stepwise_local",
  RESEND_BASE_URL: `http://127.0.0.1:${LOCAL_PORTS.mail}`,
  EMAIL_FROM: "Stepwise <hello@stepwise.local>",
  OPENAI_API_KEY: "sk-stepwise-local",
  OPENAI_BASE_URL: `http://127.0.0.1:${LOCAL_PORTS.openai}/v1`,
  INNGEST_DEV: `http://127.0.0.1:${LOCAL_PORTS.inngest}`,
} as const;
