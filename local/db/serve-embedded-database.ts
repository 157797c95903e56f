import type { PGlite } from "@electric-sql/pglite";
import { PGLiteSocketServer } from "@electric-sql/pglite-socket";

export interface EmbeddedDatabaseServer {
  url: string;
  port: number;
  stop(): Promise<void>;
}

/**
 * Serves the embedded database over the Postgres wire protocol so the app, psql and the supabase CLI
 * reach it like any Postgres. All connections share PGlite's one session; transactions run one at a time.
 */
export async function serveEmbeddedDatabase(db: PGlite, port: number): Promise<EmbeddedDatabaseServer> {
  const server = new PGLiteSocketServer({ db, port, host: "127.0.0.1", maxConnections: 100 });
  await server.start();
  const actualPort = Number(server.getServerConn().split(":").pop());
  return {
    port: actualPort,
    url: `postgres://postgres:postgres@127.0.0.1:${actualPort}/postgres`,
    stop: () => server.stop(),
  };
}
