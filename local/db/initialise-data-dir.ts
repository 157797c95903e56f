import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";

const PROJECT_ROOT = path.resolve(import.meta.dirname, "../..");

/**
 * Runs initdb for a new on-disk PGlite data directory in a short-lived child process. Inside the process that
 * keeps the database open, initdb's second WebAssembly instance leaves several hundred MB resident for good;
 * in a child it is returned to the system when the child exits. Does nothing for an existing data directory.
 */
export async function initialiseDataDir(dataDir: string): Promise<void> {
  if (existsSync(path.join(dataDir, "PG_VERSION"))) return;
  await mkdir(dataDir, { recursive: true });
  // Run from the project root, where a bare import of PGlite resolves to the same copy this process uses.
  const script = `const { PGlite } = await import("@electric-sql/pglite");
const db = await PGlite.create({ dataDir: ${JSON.stringify(dataDir)} });
await db.close();`;
  await promisify(execFile)(process.execPath, ["--input-type=module", "-e", script], { cwd: PROJECT_ROOT });
}
