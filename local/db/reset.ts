import { rm } from "node:fs/promises";
import { openEmbeddedDatabase } from "./open-embedded-database";
import { EMBEDDED_DB_DIR } from "../paths";

// `npm run db:reset`: drop the embedded database and build it again from migrations and seed.
await rm(EMBEDDED_DB_DIR, { recursive: true, force: true });
const db = await openEmbeddedDatabase({ dataDir: EMBEDDED_DB_DIR });
const { rows } = await db.query<{ version: string }>(
  "select max(version) as version from supabase_migrations.schema_migrations",
);
await db.close();
console.log(`Recreated ${EMBEDDED_DB_DIR} at migration ${rows[0]?.version}.`);
