import type { Database } from "./database";

// What flow control remembers between runs: GCRA arrival times (throttle, rate limit) and idempotency keys.

/** A key's theoretical arrival time, locked until the transaction ends; undefined when it has none yet. */
export async function lockArrivalTime(tx: Database, key: string): Promise<number | undefined> {
  const [state] = await tx.query<{ tat: number }>("select tat from throttle_state where key = $1 for update", [key]);
  return state?.tat;
}

export async function saveArrivalTime(tx: Database, key: string, tat: number) {
  await tx.query(
    "insert into throttle_state (key, tat) values ($1, $2) on conflict (key) do update set tat = excluded.tat",
    [key, tat],
  );
}

/** Claims an idempotency key for a run until `expiresAt`; false while another run holds it unexpired. */
export async function claimIdempotencyKey(
  tx: Database,
  input: { key: string; runId: string; expiresAt: number; now: number },
): Promise<boolean> {
  const claimed = await tx.query(
    `insert into idempotency_keys (key, run_id, expires_at) values ($1, $2, $3)
     on conflict (key) do update set run_id = excluded.run_id, expires_at = excluded.expires_at
     where idempotency_keys.expires_at <= $4 returning key`,
    [input.key, input.runId, input.expiresAt, input.now],
  );
  return claimed.length > 0;
}

export async function releaseIdempotencyKeys(tx: Database, runId: string) {
  await tx.query("delete from idempotency_keys where run_id = $1", [runId]);
}
