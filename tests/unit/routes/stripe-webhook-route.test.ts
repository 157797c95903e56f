import Stripe from "stripe";
import { describe, expect, it } from "vitest";
import { LOCAL_DEFAULTS } from "../../../contracts/local-defaults";
import { startStepTestServices } from "../support/step-test-services";
import { startForFile } from "../../support/start-for-file";

const services = startForFile(startStepTestServices);

const secret = LOCAL_DEFAULTS.STRIPE_WEBHOOK_SECRET;
const event = (id: string, type: string) =>
  JSON.stringify({
    id,
    object: "event",
    type,
    created: 1_795_600_000,
    data: { object: { id: "cs_test_1", object: "checkout.session" } },
  });

async function deliver(payload: string, signature: string | null) {
  const { action } = await import("../../../app/routes/api.webhooks.stripe");
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (signature) headers["stripe-signature"] = signature;
  const request = new Request("http://app.test/api/webhooks/stripe", { method: "POST", body: payload, headers });
  return action({ request, params: {}, context: {} });
}

describe("POST /api/webhooks/stripe", () => {
  it("hands a verified event to Inngest under the Stripe event id and answers 200", async () => {
    const payload = event("evt_route_1", "checkout.session.completed");
    const response = await deliver(payload, Stripe.webhooks.generateTestHeaderString({ payload, secret }));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ received: true });
    expect(services.sentEvents.at(-1)).toMatchObject({
      id: "evt_route_1",
      name: "stripe/webhook.received",
      data: {
        stripeEventId: "evt_route_1",
        type: "checkout.session.completed",
        created: 1_795_600_000,
        object: { id: "cs_test_1" },
      },
    });
  });

  it("answers 400 with the reason and sends nothing when the signature does not verify", async () => {
    const payload = event("evt_route_2", "checkout.session.completed");
    const before = services.sentEvents.length;
    const wrongSecret = await deliver(
      payload,
      Stripe.webhooks.generateTestHeaderString({ payload, secret: "whsec_someone_else" }),
    );
    expect(wrongSecret.status).toBe(400);
    expect((await wrongSecret.json()).error).toMatch(
      /^Webhook signature verification failed: No signatures found matching/,
    );
    const tampered = await deliver(
      payload.replace("evt_route_2", "evt_route_x"),
      Stripe.webhooks.generateTestHeaderString({ payload, secret }),
    );
    expect(tampered.status).toBe(400);
    const unsigned = await deliver(payload, null);
    expect(unsigned.status).toBe(400);
    expect(await unsigned.json()).toEqual({ error: "Missing Stripe-Signature header" });
    expect(services.sentEvents.length).toBe(before);
  });

  it("acknowledges an event type Stepwise does not act on without sending it", async () => {
    const payload = event("evt_route_3", "invoice.created");
    const before = services.sentEvents.length;
    const response = await deliver(payload, Stripe.webhooks.generateTestHeaderString({ payload, secret }));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ received: true, ignored: "invoice.created" });
    expect(services.sentEvents.length).toBe(before);
  });

  it("tells a GET to use POST", async () => {
    const { loader } = await import("../../../app/routes/api.webhooks.stripe");
    expect(loader().status).toBe(405);
  });
});
