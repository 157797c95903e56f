import { NonRetriableError } from "inngest";
import { asService } from "~/db.server";

/**
 * Records a Stripe event the app cannot use (another integration's session, a customer Stepwise never saw,
 * an object this account does not hold) with the reason, then throws NonRetriableError: no retry can change
 * the answer, so the run ends at once, and the record says why it changed nothing.
 */
export async function skipStripeEvent(
  eventId: string,
  type: string,
  objectId: string | null,
  reason: string,
): Promise<never> {
  await asService(
    (tx) => tx`insert into skipped_stripe_events (stripe_event_id, type, object_id, reason)
      values (${eventId}, ${type}, ${objectId}, ${reason}) on conflict (stripe_event_id) do nothing`,
  );
  throw new NonRetriableError(`Stripe event ${eventId} (${type}) skipped: ${reason}`);
}
