import Stripe from "stripe";
import type { StripeObject, StripeStore } from "./stripe-store";

export interface WebhookSenderOptions {
  store: StripeStore;
  webhookUrl: string;
  webhookSecret: string;
  /** Waits between delivery attempts after a non-2xx answer or a network error. */
  retryDelaysMs: number[];
  log: (line: string) => void;
}

/** Delivers events to the app's webhook endpoint, signed, retrying with backoff like Stripe does. */
export class WebhookSender {
  private inFlight = new Set<Promise<void>>();

  constructor(private readonly options: WebhookSenderOptions) {}

  send(event: StripeObject, copies = 1) {
    for (let i = 0; i < copies; i++) {
      const delivery = this.deliver(event).finally(() => this.inFlight.delete(delivery));
      this.inFlight.add(delivery);
    }
  }

  /** Resolves when every delivery started so far has succeeded or given up. */
  async settled() {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  private async deliver(event: StripeObject) {
    const payload = JSON.stringify(event, null, 2);
    for (let attempt = 1; attempt <= this.options.retryDelaysMs.length + 1; attempt++) {
      let status: number | null = null;
      let error: string | null = null;
      try {
        const response = await fetch(this.options.webhookUrl, {
          method: "POST",
          headers: {
            "content-type": "application/json; charset=utf-8",
            // Stripe's own signer for test webhooks: `t=<ts>,v1=<HMAC-SHA256 of "<ts>.<payload>">`.
            "stripe-signature": Stripe.webhooks.generateTestHeaderString({
              payload,
              secret: this.options.webhookSecret,
            }),
            "user-agent": "Stripe/1.0 (+https://stripe.com/docs/webhooks)",
          },
          body: payload,
          signal: AbortSignal.timeout(20_000),
        });
        status = response.status;
        await response.arrayBuffer();
      } catch (cause) {
        error = cause instanceof Error ? cause.message : String(cause);
      }
      await this.options.store.recordDelivery(String(event.id), attempt, status, error);
      if (status !== null && status >= 200 && status < 300) return;
      const wait = this.options.retryDelaysMs[attempt - 1];
      if (wait === undefined) {
        this.options.log(
          `webhook ${event.id} (${String(event.type)}) gave up after ${attempt} attempts: ${error ?? `HTTP ${status}`}`,
        );
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
  }
}
