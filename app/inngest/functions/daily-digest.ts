import { inngest } from "~/inngest/client";
import { digestSend } from "~/inngest/events";
import { listDigestRecipients } from "~/digest/digest.server";

const FAN_OUT_BATCH = 500;

/**
 * At 09:00 UTC, one `digest/send` per opted-in user. Each event's id names the user and the day, so a second
 * firing on the same day (a retry, a manual "fire now") is dropped by Inngest's 24 h event dedupe.
 */
export const dailyDigest = inngest.createFunction(
  { id: "daily-digest", retries: 3, concurrency: { limit: 1 }, triggers: [{ cron: "0 9 * * *" }] },
  async ({ event, step }) => {
    const date = new Date(event.ts ?? Date.now()).toISOString().slice(0, 10);
    const userIds = await step.run("get-users", () => listDigestRecipients());
    for (let start = 0; start < userIds.length; start += FAN_OUT_BATCH) {
      const batch = userIds.slice(start, start + FAN_OUT_BATCH);
      await step.sendEvent(
        "send-digests",
        batch.map((userId) => digestSend.create({ userId, date }, { id: `digest-${userId}-${date}` })),
      );
    }
    return { date, sent: userIds.length };
  },
);
