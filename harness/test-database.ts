import type { PGlite } from "@electric-sql/pglite";
import { openEmbeddedDatabase } from "../local/db/open-embedded-database";
import { serveEmbeddedDatabase } from "../local/db/serve-embedded-database";
import { readTemplateDatabase } from "./template-database";

export interface TestDatabase {
  db: PGlite;
  url: string;
  stop(): Promise<void>;
}

/**
 * A fresh, migrated and seeded embedded database for one test file, served on a free port.
 * Set `process.env.DATABASE_URL = url` before the app's modules read the environment.
 */
export async function startTestDatabase(): Promise<TestDatabase> {
  const db = await openEmbeddedDatabase({ loadDataDir: await readTemplateDatabase() });
  const server = await serveEmbeddedDatabase(db, 0);
  return {
    db,
    url: server.url,
    async stop() {
      await server.stop();
      await db.close();
    },
  };
}
