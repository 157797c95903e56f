import postgres from "postgres";
import { env } from "./env.server";

export type Sql = postgres.Sql;
export type Tx = postgres.TransactionSql;

/** The JWT claims of a signed-in user, as Supabase Auth issues them. */
export interface UserClaims {
  sub: string;
  role: string;
  email?: string;
  [claim: string]: unknown;
}

let pool: Sql | undefined;

/**
 * One pool per process. `prepare: false` because Supabase's transaction pooler and the embedded database's
 * shared session both break named prepared statements.
 */
export function database(): Sql {
  pool ??= postgres(env().DATABASE_URL, {
    prepare: false,
    max: 10,
    idle_timeout: 20,
    connect_timeout: 10,
    onnotice: () => {},
  });
  return pool;
}

export async function closeDatabase() {
  await pool?.end({ timeout: 5 });
  pool = undefined;
}

/**
 * Runs `work` in one transaction as the signed-in user, the way PostgREST does: role `authenticated` and the
 * JWT claims set transaction-locally, so row level security decides what the user may read and write.
 * Every query must use `tx`: another connection would wait for this transaction on the embedded database.
 */
export async function withUser<T>(claims: UserClaims, work: (tx: Tx) => Promise<T>): Promise<T> {
  return runAs("authenticated", claims, work);
}

/** Runs `work` in one transaction as `service_role` (bypasses RLS): workflows and trusted server code only. */
export async function asService<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
  return runAs("service_role", { role: "service_role" }, work);
}

function runAs<T>(role: string, claims: Record<string, unknown>, work: (tx: Tx) => Promise<T>): Promise<T> {
  return transactionAs(database(), role, claims, work);
}

/** One transaction on `sql` with the PostgREST role and claims set locally; shared with the Supabase emulators. */
export async function transactionAs<T>(
  sql: Sql,
  role: string,
  claims: Record<string, unknown>,
  work: (tx: Tx) => Promise<T>,
): Promise<T> {
  const result = await sql.begin(async (tx) => {
    // Sent now, not awaited: the work's first query follows it on the same connection without waiting a round
    // trip, and runs after it. Had it failed, the transaction would be aborted and nothing would run as anyone.
    const claimsSet =
      tx`select set_config('role', ${role}, true), set_config('request.jwt.claims', ${JSON.stringify(claims)}, true)`.execute();
    const [, value] = await Promise.all([claimsSet, work(tx)]);
    return value;
  });
  return result as T;
}
