import { InngestTestEngine } from "@inngest/test";
import postgres from "postgres";
import { serveFetchHandler } from "../local/http/serve-fetch-handler";
import { startTestDatabase } from "../harness/test-database";

// The daily digest's fan-out for 100,000 opted-in users: the function's own steps (a page of users per step,
// `digest/send` in batches over HTTP to an event API that only counts), run by @inngest/test.
// - digest_users_per_s: users fanned out per second, the whole run;
// - digest_vs_one_query_ratio: against the same sends after one query for every id (what a single step
//   returning all users did, before it outgrew Inngest's 4 MB step output);
// - digest_max_step_output_bytes: the largest output any step stored.

const USERS = 100_000;
const print = console.log.bind(console);

const database = await startTestDatabase();
const admin = postgres(database.url, { prepare: false, max: 1, onnotice: () => {} });
let received = 0;
const eventApi = await serveFetchHandler(async (request) => {
  const events = (await request.json()) as unknown[];
  received += events.length;
  return Response.json({ ids: events.map((_, i) => `bench-${received + i}`), status: 200 });
}, 0);
Object.assign(process.env, { DATABASE_URL: database.url, INNGEST_DEV: eventApi.url, NODE_ENV: "test" });

await admin`insert into auth.users (email) select 'bench-' || n || '@example.com' from generate_series(1, ${USERS}) as n`;
const { dailyDigest } = await import("../app/inngest/functions/daily-digest.server");
const { digestSendBatches } = await import("../app/digest/digest-send-batches.server");
const { asService, closeDatabase } = await import("../app/db.server");
const { inngest } = await import("../app/inngest/client.server");

const pagedStarted = performance.now();
const { result, state } = await new InngestTestEngine({
  function: dailyDigest,
  events: [{ name: "inngest/scheduled.timer", data: { cron: "0 9 * * *" }, ts: Date.parse("2026-11-25T09:00:00Z") }],
}).execute();
const pagedSeconds = (performance.now() - pagedStarted) / 1000;
if ((result as { sent: number }).sent !== USERS || received !== USERS) throw new Error("The digest missed users");
const outputs = await Promise.all(Object.values(state).map(async (output) => JSON.stringify(await output)));

received = 0;
const floorStarted = performance.now();
const ids = (
  await asService((tx) => tx<{ id: string }[]>`select id from profiles where digest_opt_in order by id`)
).map((row) => row.id);
for (const batch of digestSendBatches(ids, "2026-11-26")) await inngest.send(batch);
const floorSeconds = (performance.now() - floorStarted) / 1000;

print(`digest_users=${USERS}`);
print(`digest_users_per_s=${Math.round(USERS / pagedSeconds)}`);
print(`digest_one_query_users_per_s=${Math.round(USERS / floorSeconds)}`);
print(`digest_vs_one_query_ratio=${(floorSeconds / pagedSeconds).toFixed(2)}`);
print(`digest_steps=${outputs.length}`);
print(`digest_max_step_output_bytes=${Math.max(...outputs.map((output) => Buffer.byteLength(output)))}`);
print(`digest_one_query_output_bytes=${Buffer.byteLength(JSON.stringify(ids))}`);

await closeDatabase();
await admin.end();
await eventApi.stop();
await database.stop();
