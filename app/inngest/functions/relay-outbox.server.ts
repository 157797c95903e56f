import { inngest } from "~/inngest/client.server";
import { relayPendingEvents } from "~/outbox/relay-events.server";

/**
 * Every minute, delivers the outbox events that the requests which wrote them could not (Inngest was
 * unreachable, the function instance died between commit and send). Each keeps its id, so one that did arrive
 * after all is dropped by Inngest's event dedupe rather than starting a second workflow.
 */
export const relayOutbox = inngest.createFunction(
  { id: "relay-outbox", retries: 3, concurrency: { limit: 1 }, triggers: [{ cron: "* * * * *" }] },
  async ({ step }) => {
    const result = await step.run("deliver-pending-events", async () => {
      const relayed = await relayPendingEvents();
      // Failing the step lets Inngest retry with backoff; what was sent before the failure stays sent.
      if (relayed.error) throw new Error(`Delivered ${relayed.sent}, then: ${relayed.error}`);
      return relayed;
    });
    return result;
  },
);
