import { asService } from "~/db.server";
import { inngest } from "~/inngest/client.server";

/** Events per Inngest send: one HTTP request each, well under the event API's request size limit. */
export const RELAY_BATCH_SIZE = 100;

interface PendingEvent {
  id: string;
  name: string;
  data: Record<string, unknown>;
}

export interface RelayResult {
  sent: number;
  /** Why the last batch could not be delivered; its events stay in the outbox for the next relay. */
  error?: string;
}

/**
 * Delivers the named outbox events now, if not yet delivered: what a request calls after its transaction
 * commits. It never throws, so a request whose rows are safely written still succeeds while Inngest is
 * unreachable; the events wait for `relayPendingEvents`.
 */
export async function relayEvents(ids: readonly string[]): Promise<RelayResult> {
  try {
    const pending = await asService(
      (tx) => tx<PendingEvent[]>`select id, name, data from outbox_events where id in ${tx(ids)} and sent_at is null`,
    );
    return await deliver(pending);
  } catch (failure) {
    return { sent: 0, error: failure instanceof Error ? failure.message : String(failure) };
  }
}

/**
 * Delivers up to `limit` events that have waited at least `minAgeSeconds` (so this rarely races the request
 * that wrote them; when it does, Inngest drops the second copy by its id), oldest first.
 */
export async function relayPendingEvents({ limit = 1000, minAgeSeconds = 30 } = {}): Promise<RelayResult> {
  const pending = await asService(
    (tx) => tx<PendingEvent[]>`select id, name, data from outbox_events
      where sent_at is null and created_at <= now() - make_interval(secs => ${minAgeSeconds})
      order by created_at, id limit ${limit}`,
  );
  return deliver(pending);
}

async function deliver(events: PendingEvent[]): Promise<RelayResult> {
  let sent = 0;
  for (let start = 0; start < events.length; start += RELAY_BATCH_SIZE) {
    const batch = events.slice(start, start + RELAY_BATCH_SIZE);
    const ids = batch.map((event) => event.id);
    try {
      await inngest.send(batch.map(({ id, name, data }) => ({ id, name, data })));
    } catch (failure) {
      const error = failure instanceof Error ? failure.message : String(failure);
      await asService(
        (tx) => tx`update outbox_events set attempts = attempts + 1, last_error = ${error} where id in ${tx(ids)}`,
      );
      return { sent, error };
    }
    await asService((tx) => tx`update outbox_events set sent_at = now(), last_error = null where id in ${tx(ids)}`);
    sent += batch.length;
  }
  return { sent };
}
