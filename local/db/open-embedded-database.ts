import { existsSync } from "node:fs";
import { mkdir, readFile } from "node:fs/promises";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { vector } from "@electric-sql/pglite/vector";
import { pgcrypto } from "@electric-sql/pglite/contrib/pgcrypto";
import { unaccent } from "@electric-sql/pglite/contrib/unaccent";
import { initialiseDataDir } from "./initialise-data-dir";
import { applyPendingMigrations, SEED_FILE } from "./migrations";

const SHIM_FILE = path.resolve(import.meta.dirname, "supabase-shim.sql");

export interface OpenOptions {
  /** A directory to persist to; omit for an in-memory database. */
  dataDir?: string;
  /** A data dir dumped by `db.dumpDataDir()`, to start from (tests clone a migrated template this way). */
  loadDataDir?: Blob;
  /** Run supabase/seed.sql when the database is created. Default true. */
  seed?: boolean;
}

/**
 * Opens the embedded Postgres (PGlite with pgvector) and brings it to the latest migration: on first
 * creation it applies the Supabase shim, then any pending migration, then the seed, as `supabase start` would.
 */
export async function openEmbeddedDatabase(options: OpenOptions = {}): Promise<PGlite> {
  const isNew = !options.loadDataDir && (!options.dataDir || !existsSync(path.join(options.dataDir, "PG_VERSION")));
  if (options.dataDir && options.loadDataDir) await mkdir(options.dataDir, { recursive: true });
  else if (options.dataDir) await initialiseDataDir(options.dataDir);
  const db = await PGlite.create({
    dataDir: options.dataDir,
    loadDataDir: options.loadDataDir,
    extensions: { vector, pgcrypto, unaccent },
  });
  if (isNew) await db.exec(await readFile(SHIM_FILE, "utf8"));
  await db.exec(`set search_path = "$user", public, extensions`);
  await applyPendingMigrations(db);
  if (isNew && options.seed !== false) await db.exec(await readFile(SEED_FILE, "utf8"));
  return db;
}
