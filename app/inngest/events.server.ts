import { eventType } from "inngest";
import { z } from "zod";

// Every event Stepwise sends or receives, each with the schema the SDK validates at send time and
// in the function, so a malformed payload is rejected naming the field at fault.

const uuid = z.uuid();

export const userSignedUp = eventType("user/signed.up", {
  schema: z.object({ userId: uuid, email: z.email() }),
});

export const orderPlaced = eventType("order/placed", {
  schema: z.object({ orderId: uuid, userId: uuid, totalCents: z.int().positive() }),
});

export const orderBackordered = eventType("order/backordered", {
  schema: z.object({
    orderId: uuid,
    userId: uuid,
    items: z.array(z.object({ productId: uuid, name: z.string(), requested: z.int(), available: z.int() })).min(1),
  }),
});

export const digestSend = eventType("digest/send", {
  schema: z.object({ userId: uuid, date: z.iso.date() }),
});

/** A verified Stripe event, forwarded by /api/webhooks/stripe with the Stripe event id as the Inngest event id. */
export const stripeWebhookReceived = eventType("stripe/webhook.received", {
  schema: z.object({
    stripeEventId: z.string().startsWith("evt_"),
    type: z.string().min(1),
    created: z.int(),
    object: z.record(z.string(), z.unknown()),
  }),
});

export const documentUploaded = eventType("document/uploaded", {
  schema: z.object({ documentId: uuid, userId: uuid, storagePath: z.string().min(1) }),
});
