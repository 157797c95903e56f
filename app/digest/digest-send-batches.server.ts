import { digestSend } from "~/inngest/events.server";

/** Users per `step.sendEvent`: each send is one HTTP request, kept small and quick however many users opt in. */
export const DIGEST_BATCH_SIZE = 500;

/**
 * One `digest/send` per user, in batches of `batchSize`. Each event's id names the user and the day, so
 * Inngest drops a second event for the same pair within 24 h.
 */
export function digestSendBatches(userIds: readonly string[], date: string, batchSize = DIGEST_BATCH_SIZE) {
  const batches: Array<Array<ReturnType<typeof digestSend.create>>> = [];
  for (let start = 0; start < userIds.length; start += batchSize) {
    batches.push(
      userIds
        .slice(start, start + batchSize)
        .map((userId) => digestSend.create({ userId, date }, { id: `digest-${userId}-${date}` })),
    );
  }
  return batches;
}
