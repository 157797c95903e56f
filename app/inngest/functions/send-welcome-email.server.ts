import { createElement } from "react";
import { env } from "~/env.server";
import { inngest } from "~/inngest/client.server";
import { userSignedUp } from "~/inngest/events.server";
import { MAILING_LISTS, unsubscribeLink } from "~/email-preferences/unsubscribe-link.server";
import { sendEmail } from "~/services/email.server";
import { loadUserForEmail } from "~/users/load-user.server";
import { TipsEmail } from "~/emails/tips-email";
import { WelcomeEmail } from "~/emails/welcome-email";

/** A welcome email at signup and tips a day later, unless the account is gone or has opted out by then. */
export const sendWelcomeEmail = inngest.createFunction(
  {
    id: "send-welcome-email",
    retries: 4,
    concurrency: { limit: 20 },
    idempotency: "event.data.userId",
    triggers: [userSignedUp],
  },
  async ({ event, step }) => {
    const user = await step.run("get-user", () => loadUserForEmail(event.data.userId));
    if (!user) return { sent: [] };

    await step.run("send-email", () =>
      sendEmail({
        to: user.email,
        subject: "Welcome to Stepwise",
        body: createElement(WelcomeEmail, { name: user.name, appUrl: env().APP_URL }),
        kind: "welcome",
        idempotencyKey: `welcome-${user.id}`,
        userId: user.id,
      }),
    );

    await step.sleep("wait-24h", "24h");

    const sentTips = await step.run("send-tips", async () => {
      // Read again: the user may have deleted the account or opted out during the day.
      const current = await loadUserForEmail(user.id);
      if (!current || !current.tipsOptIn) return false;
      const unsubscribe = unsubscribeLink(current.id, "tips");
      await sendEmail({
        to: current.email,
        subject: "Getting started with Stepwise",
        body: createElement(TipsEmail, {
          name: current.name,
          unsubscribe: { url: unsubscribe.url, what: MAILING_LISTS.tips.name },
        }),
        headers: unsubscribe.headers,
        kind: "tips",
        idempotencyKey: `tips-${current.id}`,
        userId: current.id,
      });
      return true;
    });
    return { sent: sentTips ? ["welcome", "tips"] : ["welcome"] };
  },
);
