import path from "node:path";

/** Where the local stack keeps its state; all of it is gitignored and `npm run db:reset` clears the database. */
export const PROJECT_ROOT = path.resolve(import.meta.dirname, "..");
// STEPWISE_DATA_DIR moves it, so the browser tests can run on a throwaway stack beside a developer's own.
export const DATA_DIR = path.resolve(PROJECT_ROOT, process.env.STEPWISE_DATA_DIR ?? ".data");
export const EMBEDDED_DB_DIR = path.join(DATA_DIR, "db");
export const STORAGE_DIR = path.join(DATA_DIR, "storage");
export const INNGEST_DATA_DIR = path.join(DATA_DIR, "inngest");
export const SUPABASE_SIGNING_KEY_FILE = path.join(DATA_DIR, "supabase-signing-key.json");
