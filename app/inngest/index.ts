import type { InngestFunction } from "inngest";
import { dailyDigest } from "./functions/daily-digest";
import { processDocument } from "./functions/process-document";
import { processOrder } from "./functions/process-order";
import { relayOutbox } from "./functions/relay-outbox";
import { sendDigest } from "./functions/send-digest";
import { sendWelcomeEmail } from "./functions/send-welcome-email";
import { stripeWebhook } from "./functions/stripe-webhook";

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
