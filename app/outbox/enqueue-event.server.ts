import type { JSONValue } from "postgres";
import type { Tx } from "~/db.server";

/** An event as `eventType(...).create(data, { id })` makes it: the id is required, it is the dedupe key. */
export interface OutboxEvent {
  id?: string;
  name: string;
  data: Record<string, unknown>;
  validate(): Promise<void>;
}

/**
 * Records `event` in the outbox inside `tx`, the transaction that writes the rows the event is about, so both
 * commit or neither does. The schema is checked first: a bad payload fails the write, not the delivery.
 * Returns the event id, for `relayEvents` once the transaction has committed.
 */
export async function enqueueEvent(tx: Tx, event: OutboxEvent): Promise<string> {
  if (!event.id) throw new Error(`An outbox event needs an id (Inngest dedupes on it): ${event.name}`);
  await event.validate();
  await tx`insert into outbox_events (id, name, data)
    values (${event.id}, ${event.name}, ${tx.json(event.data as JSONValue)}) on conflict (id) do nothing`;
  return event.id;
}
