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

/**
 * One read-only transaction as the user for work that arrives at about the same time: the first `run` opens it,
 * later ones join it while it is open, and it commits once none is running (after a turn of the event loop, so
 * work that was about to start still joins). Read only, so a shared transaction can never commit one caller's
 * writes because of another; a failed query fails the others running in it, as one transaction would.
 */
export class SharedReadTransaction {
  private open: Promise<{ tx: Tx; close: () => void }> | null = null;
  private running = 0;

  constructor(private readonly claims: UserClaims) {}

  get userId(): string {
    return this.claims.sub;
  }

  async run<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
    this.running += 1;
    try {
      this.open ??= this.begin();
      const { tx } = await this.open;
      return await work(tx);
    } finally {
      this.running -= 1;
      if (this.running === 0) setImmediate(() => this.closeIfIdle());
    }
  }

  private closeIfIdle() {
    if (this.running > 0 || !this.open) return;
    const open = this.open;
    this.open = null;
    void open.then(
      ({ close }) => close(),
      () => {},
    );
  }

  private begin(): Promise<{ tx: Tx; close: () => void }> {
    return new Promise((opened, failed) => {
      let close!: () => void;
      const closed = new Promise<void>((resolve) => (close = resolve));
      transactionAs(
        database(),
        "authenticated",
        this.claims,
        (tx) => {
          opened({ tx, close });
          return closed;
        },
        "read only",
      ).catch(failed);
    });
  }
}

/** One transaction on `sql` with the PostgREST role and claims set locally; shared with the Supabase emulators. */
export async function transactionAs<T>(
  sql: Sql,
  role: string,
  claims: Record<string, unknown>,
  work: (tx: Tx) => Promise<T>,
  mode = "read write",
): Promise<T> {
  const result = await sql.begin(mode, async (tx) => {
    // Sent now, not awaited: the work's first query follows it on the same connection without waiting a round
    // trip, and runs after it. Had it failed, the transaction would be aborted and nothing would run as anyone.
    const claimsSet =
      tx`select set_config('role', ${role}, true), set_config('request.jwt.claims', ${JSON.stringify(claims)}, true)`.execute();
    const [, value] = await Promise.all([claimsSet, work(tx)]);
    return value;
  });
  return result as T;
}
