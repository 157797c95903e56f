import type Stripe from "stripe";
import { cancelSubscription } from "~/billing/cancel-subscription.server";
import { fulfillCheckout } from "~/billing/fulfill-checkout.server";
import { inngest } from "~/inngest/client.server";
import { stripeWebhookReceived } from "~/inngest/events.server";

/** Applies a verified Stripe event once: Inngest dedupes by event id, and the writes dedupe underneath too. */
export const stripeWebhook = inngest.createFunction(
  {
    id: "stripe-webhook",
    retries: 5,
    concurrency: { limit: 10 },
    idempotency: "event.data.stripeEventId",
    triggers: [stripeWebhookReceived],
  },
  async ({ event, step }) => {
    const { stripeEventId, type, object } = event.data;
    switch (type) {
      case "checkout.session.completed":
        return step.run("fulfill-order", () =>
          fulfillCheckout(stripeEventId, object as unknown as Stripe.Checkout.Session),
        );
      case "customer.subscription.deleted":
        return step.run("cancel-subscription", () =>
          cancelSubscription(stripeEventId, object as unknown as Stripe.Subscription),
        );
      default:
        return { applied: false, ignored: type };
    }
  },
);
