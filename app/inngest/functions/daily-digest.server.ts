import { digestDate } from "~/digest/digest-date.server";
import { sendDigestPage } from "~/digest/send-digest-page.server";
import { inngest } from "~/inngest/client.server";

/**
 * At 09:00 UTC, one `digest/send` per opted-in user, a page of users per step with a cursor, so no step's
 * output grows with the number of users. Each event's id names the user and the day, so a second firing on the
 * same day (a retry, a manual "fire now") is dropped by Inngest's 24 h event dedupe, and send-digest's own
 * idempotency key catches whatever gets past that.
 */
export const dailyDigest = inngest.createFunction(
  { id: "daily-digest", retries: 3, concurrency: { limit: 1 }, triggers: [{ cron: "0 9 * * *" }] },
  async ({ event, step }) => {
    const date = digestDate(event.ts ?? Date.now());
    let after: string | null = null;
    let sent = 0;
    // One step id for every page: Inngest numbers repeated ids in call order, and each page's memoised cursor
    // leads a replay to the same next page.
    do {
      const page = await step.run("send-digest-page", () => sendDigestPage(date, after));
      sent += page.sent;
      after = page.nextAfter;
    } while (after);
    return { date, sent };
  },
);
