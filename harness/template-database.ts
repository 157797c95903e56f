import { existsSync } from "node:fs";
import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import path from "node:path";
import { openEmbeddedDatabase } from "../local/db/open-embedded-database";

export const TEMPLATE_FILE = path.resolve(import.meta.dirname, "../tests/.tmp/template-db.tar.gz");

/** Vitest global setup: migrate and seed once, dump it; every test file then loads a copy in about a second. */
export async function buildTemplateDatabase() {
  await mkdir(path.dirname(TEMPLATE_FILE), { recursive: true });
  const db = await openEmbeddedDatabase();
  const dump = await db.dumpDataDir("gzip");
  await db.close();
  const partial = `${TEMPLATE_FILE}.${process.pid}`;
  await writeFile(partial, Buffer.from(await dump.arrayBuffer()));
  await rename(partial, TEMPLATE_FILE);
}

export async function readTemplateDatabase(): Promise<Blob> {
  if (!existsSync(TEMPLATE_FILE)) await buildTemplateDatabase();
  return new Blob([await readFile(TEMPLATE_FILE)]);
}

export default buildTemplateDatabase;
