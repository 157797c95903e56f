import type { InngestFunction } from "inngest";
import { dailyDigest } from "./functions/daily-digest.server";
import { processDocument } from "./functions/process-document.server";
import { processOrder } from "./functions/process-order.server";
import { relayOutbox } from "./functions/relay-outbox.server";
import { sendDigest } from "./functions/send-digest.server";
import { sendWelcomeEmail } from "./functions/send-welcome-email.server";
import { stripeWebhook } from "./functions/stripe-webhook.server";

/** Every function the app serves at /api/inngest. One file per function under ./functions. */
export const functions: InngestFunction.Any[] = [
  sendWelcomeEmail,
  processOrder,
  dailyDigest,
  sendDigest,
  stripeWebhook,
  processDocument,
  relayOutbox,
];
