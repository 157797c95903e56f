import { afterAll, beforeAll, it } from "vitest";
import { defineContractSuite } from "./contract-suite";
import { findPostgresBin, startPostgresServer, type PostgresServer } from "./postgres-server";

// The same contract suite with the executor's store on a real PostgreSQL server (`--postgres-uri`). CI installs
// Debian's postgresql package (.ci/run); elsewhere the suite runs wherever the server's binaries are installed.

const bin = findPostgresBin();

if (!bin && !process.env.CI) {
  it.skip("runs the contract suite on PostgreSQL (install the postgresql package, or set PG_BIN)", () => {});
} else {
  let server: PostgresServer;
  beforeAll(async () => {
    if (!bin) throw new Error("No PostgreSQL server binaries: install the postgresql package or set PG_BIN");
    server = await startPostgresServer(bin);
  }, 60_000);
  afterAll(async () => {
    await server?.stop();
  });
  defineContractSuite(() => ({ postgresUri: server.uri }));
}
