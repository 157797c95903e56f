import type { Database } from "./database";
import type { InngestEvent } from "../types";
import type { WaitingPause } from "./pauses";

export interface StoredEvent {
  internal_id: string;
  name: string;
  payload: InngestEvent;
  received_at: number;
}

export interface IncomingEvent {
  internalId: string;
  event: InngestEvent;
  receivedAt: number;
}

/**
 * Stores events and returns the waitForEvent pauses waiting for any of their names (unexpired when the first
 * came in), in one round trip however many events there are: most events wake nothing.
 */
export async function storeEventsFindingPauses(
  tx: Database,
  incoming: IncomingEvent[],
): Promise<Array<WaitingPause & { event_name: string; expires_at: number }>> {
  const rows = incoming.map(({ internalId, event, receivedAt }) => ({
    internal_id: internalId,
    id: event.id ?? null,
    name: event.name,
    payload: event,
    received_at: receivedAt,
  }));
  return tx.query(
    `with incoming as (
       select * from jsonb_to_recordset($1::jsonb) as x(internal_id text, id text, name text, payload jsonb, received_at float8)),
     stored as (insert into events (internal_id, id, name, payload, received_at) select internal_id, id, name, payload, received_at from incoming)
     select p.id, p.run_id, p.step_id, p.expression, p.event_name, p.expires_at, r.event from pauses p join runs r on r.run_id = p.run_id
     where p.kind = 'wait' and p.event_name in (select name from incoming) and p.expires_at > $2 and r.status = 'Running'
     order by p.id`,
    [JSON.stringify(rows), Math.min(...incoming.map((e) => e.receivedAt))],
  );
}

/** The latest events, newest first, of one name when given. */
export async function listEvents(db: Database, input: { name?: string | null; limit: number }): Promise<StoredEvent[]> {
  return db.query<StoredEvent>(
    `select internal_id, name, payload, received_at from events where ($1::text is null or name = $1) order by received_at desc limit $2`,
    [input.name ?? null, input.limit],
  );
}

export interface EventWithRuns extends StoredEvent {
  runs: Array<{ run_id: string; function_id: string; status: string }>;
}

/** The latest events, newest first, each with the runs it started (those it triggered and batches it is in). */
export async function listEventsWithRuns(
  db: Database,
  input: { name?: string | null; limit: number },
): Promise<EventWithRuns[]> {
  return db.query<EventWithRuns>(
    `select e.internal_id, e.name, e.payload, e.received_at,
       (select coalesce(json_agg(json_build_object('run_id', r.run_id, 'function_id', r.function_id, 'status', r.status) order by r.started_at), '[]'::json)
        from runs r where r.event_id = e.internal_id or r.batch_event_ids @> jsonb_build_array(e.internal_id)) as runs
     from events e where ($1::text is null or e.name = $1) order by e.received_at desc limit $2`,
    [input.name ?? null, input.limit],
  );
}

/** One event by its internal id. */
export async function findEvent(db: Database, internalId: string): Promise<StoredEvent | undefined> {
  const [event] = await db.query<StoredEvent>(
    "select internal_id, name, payload, received_at from events where internal_id = $1",
    [internalId],
  );
  return event;
}
