import { digestDate } from "~/digest/digest-date.server";
import { digestSendBatches } from "~/digest/digest-send-batches.server";
import { listDigestRecipients } from "~/digest/list-digest-recipients.server";
import { inngest } from "~/inngest/client.server";

/**
 * At 09:00 UTC, one `digest/send` per opted-in user. Each event's id names the user and the day, so a second
 * firing on the same day (a retry, a manual "fire now") is dropped by Inngest's 24 h event dedupe, and
 * send-digest's own idempotency key catches whatever gets past that.
 */
export const dailyDigest = inngest.createFunction(
  { id: "daily-digest", retries: 3, concurrency: { limit: 1 }, triggers: [{ cron: "0 9 * * *" }] },
  async ({ event, step }) => {
    const date = digestDate(event.ts ?? Date.now());
    const userIds = await step.run("get-users", () => listDigestRecipients());
    // Sequential sends under one id: Inngest numbers repeated ids in call order, which the memoised user
    // list keeps the same on every replay.
    for (const batch of digestSendBatches(userIds, date)) {
      await step.sendEvent("send-digests", batch);
    }
    return { date, sent: userIds.length };
  },
);
