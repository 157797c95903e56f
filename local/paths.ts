import path from "node:path";

/** Where the local stack keeps its state; all of it is gitignored and `npm run db:reset` clears the database. */
export const PROJECT_ROOT = path.resolve(import.meta.dirname, "..");
export const DATA_DIR = path.join(PROJECT_ROOT, ".data");
export const EMBEDDED_DB_DIR = path.join(DATA_DIR, "db");
export const STORAGE_DIR = path.join(DATA_DIR, "storage");
export const INNGEST_DATA_DIR = path.join(DATA_DIR, "inngest");
