import { createElement } from "react";
import { DigestEmail } from "~/emails/digest-email";
import { inngest } from "~/inngest/client.server";
import { digestSend } from "~/inngest/events.server";
import { summariseDay } from "~/digest/summarise-day.server";
import { MAILING_LISTS, unsubscribeLink } from "~/email-preferences/unsubscribe-link.server";
import { sendEmail } from "~/services/email.server";
import { loadUserForEmail } from "~/users/load-user.server";

/** One user's digest for one day; the idempotency key and the email's key both make it once per user per day. */
export const sendDigest = inngest.createFunction(
  {
    id: "send-digest",
    retries: 3,
    concurrency: { limit: 50 },
    idempotency: 'event.data.userId + "-" + event.data.date',
    triggers: [digestSend],
  },
  async ({ event, step }) => {
    const { userId, date } = event.data;
    const user = await step.run("get-user", () => loadUserForEmail(userId));
    if (!user || !user.digestOptIn) return { sent: false };
    const summary = await step.run("summarise-day", () => summariseDay(userId, date));
    await step.run("send-email", () => {
      const unsubscribe = unsubscribeLink(userId, "digest");
      return sendEmail({
        to: user.email,
        subject: `Your Stepwise digest for ${date}`,
        body: createElement(DigestEmail, {
          name: user.name,
          date,
          summary,
          unsubscribe: { url: unsubscribe.url, what: MAILING_LISTS.digest.name },
        }),
        headers: unsubscribe.headers,
        kind: "digest",
        idempotencyKey: `digest-${userId}-${date}`,
        userId,
      });
    });
    return { sent: true };
  },
);
