import { openPglite } from "../local/inngest/store/database";

// Prints the resident memory of a process holding only the executor's PGlite, opened on the data dir given,
// after scanning each of its tables once (inside Postgres): the floor under the executor's own `rss_mb_after_10k_runs`.

const dataDir = process.argv[2];
if (!dataDir) throw new Error("usage: pglite-floor.ts <executor data dir>");
const db = await openPglite(dataDir);
for (const table of ["runs", "steps", "events", "jobs"]) {
  await db.query(`select count(*), sum(length(t::text)) from inngest_local.${table} t`);
}
console.log(`rss_mb=${(process.memoryUsage().rss / 1024 / 1024).toFixed(0)}`);
await db.close();
