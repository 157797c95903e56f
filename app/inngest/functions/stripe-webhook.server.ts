import type Stripe from "stripe";
import { fulfillCheckout } from "~/billing/fulfill-checkout.server";
import { subscriptionOfInvoice } from "~/billing/invoice-subscription.server";
import { sendDunningEmail } from "~/billing/send-dunning-email.server";
import { skipStripeEvent } from "~/billing/skip-stripe-event.server";
import { CATALOGUE_EVENTS, INVOICE_EVENTS, SUBSCRIPTION_EVENTS } from "~/billing/stripe-event-types.server";
import { syncPrice, syncProduct } from "~/billing/sync-catalogue.server";
import { syncSubscription } from "~/billing/sync-subscription.server";
import { inngest } from "~/inngest/client.server";
import { saveCardFromSetup } from "~/orders/saved-card.server";
import { stripeWebhookReceived } from "~/inngest/events.server";

const includes = (types: readonly string[], type: string) => types.includes(type);

/**
 * Applies a verified Stripe event: Inngest runs each event id once, one customer's events (and the catalogue's)
 * run one at a time, and every step re-reads its object from Stripe, so repeated and reordered deliveries end
 * in Stripe's latest state. Events the app cannot use are recorded with the reason and end without retries.
 */
export const stripeWebhook = inngest.createFunction(
  {
    id: "stripe-webhook",
    retries: 5,
    concurrency: [{ limit: 10 }, { key: "event.data.sequenceKey", limit: 1 }],
    idempotency: "event.data.stripeEventId",
    triggers: [stripeWebhookReceived],
  },
  async ({ event, step }) => {
    const { stripeEventId: eventId, type } = event.data;
    const object = event.data.object as { id: string };

    if (type === "checkout.session.completed") {
      const session = object as unknown as Stripe.Checkout.Session;
      const fulfilled = await step.run("fulfill-checkout", () => fulfillCheckout(eventId, session));
      if (fulfilled.setupIntentId) {
        const setupIntentId = fulfilled.setupIntentId;
        return step.run("save-card", () => saveCardFromSetup(fulfilled.userId, setupIntentId));
      }
      if (!fulfilled.subscriptionId) return fulfilled;
      const subscriptionId = fulfilled.subscriptionId;
      return step.run("sync-subscription", () => syncSubscription(eventId, type, subscriptionId));
    }
    if (includes(SUBSCRIPTION_EVENTS, type))
      return step.run("sync-subscription", () => syncSubscription(eventId, type, object.id));
    if (includes(INVOICE_EVENTS, type)) {
      const subscriptionId = subscriptionOfInvoice(object as unknown as Stripe.Invoice);
      if (!subscriptionId)
        return step.run("skip-invoice", () =>
          skipStripeEvent(eventId, type, object.id, "the invoice bills no subscription"),
        );
      const synced = await step.run("sync-subscription", () => syncSubscription(eventId, type, subscriptionId));
      if (type === "invoice.payment_failed")
        await step.run("send-dunning-email", () => sendDunningEmail(object.id, synced.userId));
      return synced;
    }
    if (includes(CATALOGUE_EVENTS, type))
      return type.startsWith("product.")
        ? step.run("sync-product", () => syncProduct(eventId, type, object.id))
        : step.run("sync-price", () => syncPrice(eventId, type, object.id));
    return { ignored: type };
  },
);
