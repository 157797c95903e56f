import { PGlite } from "@electric-sql/pglite";
import postgres from "postgres";
import { initialiseDataDir } from "../../db/initialise-data-dir";

/** The little the executor needs from Postgres, over embedded PGlite or a real server (`--postgres-uri`). */
export interface Database {
  query<T = Record<string, unknown>>(text: string, params?: unknown[]): Promise<T[]>;
  /** Runs `work` in one transaction: everything it writes is committed before the caller acknowledges anything. */
  transaction<T>(work: (tx: Database) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

// Postgres' default 128 MB of shared buffers is touched up front inside PGlite's WebAssembly memory. The
// executor's hot data (queued jobs, running runs) is a few MB, so a smaller pool keeps its process light.
const EXECUTOR_POSTGRES_CONF = ["shared_buffers = 16MB"];

export async function openPglite(dataDir?: string): Promise<Database> {
  if (dataDir) await initialiseDataDir(dataDir);
  const db = await PGlite.create({ dataDir, postgresqlconf: EXECUTOR_POSTGRES_CONF });
  keepOnlyUsedParsers(db);
  return wrapPglite(db);
}

// The column types the executor's queries return (bool, int8, int2, int4, text, json, float4, float8, numeric,
// jsonb). PGlite copies its whole parser table (over 300 types with the array types) on every query, which was a
// third of the cost of the executor's small queries; a column of any other type would come back as text.
const EXECUTOR_COLUMN_TYPES = new Set([16, 20, 21, 23, 25, 114, 700, 701, 1700, 3802]);

function keepOnlyUsedParsers(db: PGlite) {
  db.parsers = Object.fromEntries(
    Object.entries(db.parsers).filter(([typeId]) => EXECUTOR_COLUMN_TYPES.has(Number(typeId))),
  );
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
  const sql = postgres(uri, {
    prepare: false,
    max: 4,
    onnotice: () => {},
    connection: { search_path: "inngest_local" },
    // The executor hands json and jsonb parameters over already serialised (as PGlite takes them); postgres.js
    // would serialise such a string again and store a JSON string instead of the object.
    types: {
      serialisedJson: {
        to: 3802,
        from: [114, 3802],
        serialize: (value: unknown) => (typeof value === "string" ? value : JSON.stringify(value)),
        parse: (text: string) => JSON.parse(text),
      },
    },
  });
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
