import { PGlite } from "@electric-sql/pglite";
import postgres from "postgres";

/** The little the executor needs from Postgres, over embedded PGlite or a real server (`--postgres-uri`). */
export interface Database {
  query<T = Record<string, unknown>>(text: string, params?: unknown[]): Promise<T[]>;
  /** Runs `work` in one transaction: everything it writes is committed before the caller acknowledges anything. */
  transaction<T>(work: (tx: Database) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export async function openPglite(dataDir?: string): Promise<Database> {
  const db = await PGlite.create({ dataDir });
  return wrapPglite(db);
}

function wrapPglite(db: Pick<PGlite, "query" | "transaction"> & { close?: () => Promise<void> }): Database {
  return {
    async query<T>(text: string, params: unknown[] = []) {
      return (await db.query<T>(text, params)).rows;
    },
    transaction<T>(work: (tx: Database) => Promise<T>) {
      return db.transaction((tx) =>
        work({
          query: async <R>(text: string, params: unknown[] = []) => (await tx.query<R>(text, params)).rows,
          transaction: (inner) => inner(this as Database),
          close: async () => {},
        }),
      );
    },
    async close() {
      await db.close?.();
    },
  };
}

export function openPostgres(uri: string): Database {
  // Every pooled connection must see the executor's schema, not only the one that ran `set search_path`.
  const sql = postgres(uri, { prepare: false, max: 4, onnotice: () => {}, connection: { search_path: "inngest_local" } });
  return wrapPostgres(sql);
}

function wrapPostgres(sql: postgres.Sql | postgres.TransactionSql): Database {
  return {
    async query<T>(text: string, params: unknown[] = []) {
      return (await sql.unsafe(text, params as postgres.ParameterOrJSON<never>[])) as unknown as T[];
    },
    async transaction<T>(work: (tx: Database) => Promise<T>) {
      if (!("begin" in sql)) return work(this as Database);
      return (await sql.begin((tx) => work(wrapPostgres(tx)))) as T;
    },
    async close() {
      if ("end" in sql) await sql.end({ timeout: 5 });
    },
  };
}
