import { LOCAL_PORTS } from "../../contracts/local-defaults";
import { EMBEDDED_DB_DIR } from "../paths";
import { openEmbeddedDatabase } from "./open-embedded-database";
import { serveEmbeddedDatabase } from "./serve-embedded-database";

// `npm run db:serve`: only the embedded database, for psql or `supabase migration list --db-url ...`.
const db = await openEmbeddedDatabase({ dataDir: EMBEDDED_DB_DIR });
const server = await serveEmbeddedDatabase(db, LOCAL_PORTS.postgres);
console.log(`Embedded Postgres on ${server.url} (Ctrl-C to stop)`);
const stop = async () => {
  await server.stop();
  await db.close();
  process.exit(0);
};
process.once("SIGINT", stop);
process.once("SIGTERM", stop);
