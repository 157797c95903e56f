import Stripe from "stripe";
import { env } from "~/env.server";

let client: Stripe | undefined;

/** The Stripe SDK; STRIPE_API_BASE points it at another host (the local emulator), else api.stripe.com. */
export function stripe(): Stripe {
  if (!client) {
    const { STRIPE_SECRET_KEY, STRIPE_API_BASE } = env();
    const base = STRIPE_API_BASE ? new URL(STRIPE_API_BASE) : undefined;
    client = new Stripe(STRIPE_SECRET_KEY, {
      // Inngest retries the step; the SDK's own retries would only add delay inside one request.
      maxNetworkRetries: 0,
      ...(base
        ? {
            host: base.hostname,
            port: Number(base.port || 80),
            protocol: base.protocol.replace(":", "") as "http" | "https",
          }
        : {}),
    });
  }
  return client;
}
