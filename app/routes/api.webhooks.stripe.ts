import type { ActionFunctionArgs } from "@remix-run/node";
import Stripe from "stripe";
import { env } from "~/env.server";
import { inngest } from "~/inngest/client.server";
import { stripeWebhookReceived } from "~/inngest/events.server";

/** The Stripe event types Stepwise acts on; Stripe gets 200 for any other so it stops redelivering them. */
const HANDLED = new Set(["checkout.session.completed", "customer.subscription.deleted"]);

/**
 * Stripe's webhook endpoint. Verifies the signature on the raw body, hands the event to Inngest with the Stripe
 * event id as the Inngest event id (so a redelivery within 24 h starts nothing), and answers at once.
 */
export async function action({ request }: ActionFunctionArgs) {
  if (request.method !== "POST") return Response.json({ error: "Use POST" }, { status: 405 });
  const signature = request.headers.get("stripe-signature");
  if (!signature) return Response.json({ error: "Missing Stripe-Signature header" }, { status: 400 });
  // Outside the try: a missing or malformed secret is a server fault (500, logged by name), not the sender's.
  const secret = env().STRIPE_WEBHOOK_SECRET;
  const payload = await request.text();
  let event: Stripe.Event;
  try {
    event = await Stripe.webhooks.constructEventAsync(payload, signature, secret);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return Response.json({ error: `Webhook signature verification failed: ${reason}` }, { status: 400 });
  }
  if (!HANDLED.has(event.type)) return Response.json({ received: true, ignored: event.type });

  await inngest.send(
    stripeWebhookReceived.create(
      {
        stripeEventId: event.id,
        type: event.type,
        created: event.created,
        object: event.data.object as unknown as Record<string, unknown>,
      },
      { id: event.id },
    ),
  );
  return Response.json({ received: true });
}

export function loader() {
  return Response.json({ error: "Stripe sends webhooks with POST" }, { status: 405 });
}
