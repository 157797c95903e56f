import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import type { PGlite } from "@electric-sql/pglite";
import { splitSqlStatements } from "./split-sql-statements";

export const MIGRATIONS_DIR = path.resolve(import.meta.dirname, "../../supabase/migrations");
export const SEED_FILE = path.resolve(import.meta.dirname, "../../supabase/seed.sql");

export interface MigrationFile {
  version: string;
  name: string;
  file: string;
}

/** `<YYYYMMDDHHMMSS>_<name>.sql`, the supabase CLI's naming, in version order. */
export async function listMigrations(dir = MIGRATIONS_DIR): Promise<MigrationFile[]> {
  const files = (await readdir(dir)).filter((f) => f.endsWith(".sql")).sort();
  return files.map((file) => {
    const match = /^(\d{14})_(.+)\.sql$/.exec(file);
    if (!match) throw new Error(`Migration "${file}" must be named <YYYYMMDDHHMMSS>_<name>.sql`);
    return { version: match[1]!, name: match[2]!, file: path.join(dir, file) };
  });
}

// The history table exactly as `supabase db push` creates it, so `supabase migration list` agrees with us.
const HISTORY_TABLE = `
  create schema if not exists supabase_migrations;
  create table if not exists supabase_migrations.schema_migrations (version text not null primary key);
  alter table supabase_migrations.schema_migrations add column if not exists statements text[];
  alter table supabase_migrations.schema_migrations add column if not exists name text;
  create table if not exists supabase_migrations.seed_files (path text not null primary key, hash text not null);
`;

/** Applies every migration not yet recorded, each in its own transaction with its history row. */
export async function applyPendingMigrations(db: PGlite, dir = MIGRATIONS_DIR): Promise<string[]> {
  await db.exec(HISTORY_TABLE);
  const applied = new Set(
    (await db.query<{ version: string }>("select version from supabase_migrations.schema_migrations")).rows.map(
      (r) => r.version,
    ),
  );
  const newlyApplied: string[] = [];
  for (const migration of await listMigrations(dir)) {
    if (applied.has(migration.version)) continue;
    const script = await readFile(migration.file, "utf8");
    await db.transaction(async (tx) => {
      await tx.exec(script).catch((error: Error) => {
        throw new Error(`Migration ${path.basename(migration.file)} failed: ${error.message}`);
      });
      await tx.query(
        "insert into supabase_migrations.schema_migrations (version, name, statements) values ($1, $2, $3)",
        [migration.version, migration.name, splitSqlStatements(script)],
      );
    });
    newlyApplied.push(migration.version);
  }
  return newlyApplied;
}

export async function latestAppliedMigration(db: PGlite): Promise<string | null> {
  const { rows } = await db.query<{ version: string }>(
    "select max(version) as version from supabase_migrations.schema_migrations",
  );
  return rows[0]?.version ?? null;
}
