import { asService, type Tx } from "~/db.server";

/**
 * Runs `apply` in the same transaction that records the Stripe event as processed; returns false (and applies
 * nothing) when the event was processed before, so a redelivery that slips past Inngest's event and function
 * deduplication still changes nothing.
 */
export async function claimStripeEvent(
  eventId: string,
  type: string,
  apply: (tx: Tx) => Promise<void>,
): Promise<boolean> {
  return asService(async (tx) => {
    const claimed = await tx`insert into processed_stripe_events (stripe_event_id, type) values (${eventId}, ${type})
      on conflict (stripe_event_id) do nothing returning stripe_event_id`;
    if (claimed.length === 0) return false;
    await apply(tx);
    return true;
  });
}
