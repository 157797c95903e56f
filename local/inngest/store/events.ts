import type { Database } from "./database";
import type { InngestEvent } from "../types";
import type { WaitingPause } from "./pauses";

export interface StoredEvent {
  internal_id: string;
  name: string;
  payload: InngestEvent;
  received_at: number;
}

/**
 * Stores an event and returns the waitForEvent pauses it may satisfy, in one round trip: most events wake
 * nothing.
 */
export async function storeEventFindingPauses(
  tx: Database,
  input: { internalId: string; event: InngestEvent; now: number },
): Promise<WaitingPause[]> {
  const { internalId, event, now } = input;
  return tx.query<WaitingPause>(
    `with stored as (insert into events (internal_id, id, name, payload, received_at) values ($1, $2, $3, $4, $5))
     select p.id, p.run_id, p.step_id, p.expression, r.event from pauses p join runs r on r.run_id = p.run_id
     where p.kind = 'wait' and p.event_name = $3 and p.expires_at > $5 and r.status = 'Running' order by p.id`,
    [internalId, event.id ?? null, event.name, JSON.stringify(event), now],
  );
}

/** The latest events, newest first, of one name when given. */
export async function listEvents(db: Database, input: { name?: string | null; limit: number }): Promise<StoredEvent[]> {
  return db.query<StoredEvent>(
    `select internal_id, name, payload, received_at from events where ($1::text is null or name = $1) order by received_at desc limit $2`,
    [input.name ?? null, input.limit],
  );
}
