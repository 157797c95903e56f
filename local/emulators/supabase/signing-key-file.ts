import { existsSync } from "node:fs";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { generateSigningKey, type SigningKey } from "./jwt";

/** The dev stack's signing key, kept beside its data so sessions outlive a restart of `npm run dev`. */
export async function loadOrCreateSigningKey(file: string): Promise<SigningKey> {
  if (existsSync(file)) return JSON.parse(await readFile(file, "utf8")) as SigningKey;
  const key = generateSigningKey();
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, JSON.stringify(key, null, 2), { mode: 0o600 });
  return key;
}
