/** The Stripe event types the webhook workflow applies; Stripe gets 200 for any other so it stops sending it. */
export const SUBSCRIPTION_EVENTS = [
  "customer.subscription.created",
  "customer.subscription.updated",
  "customer.subscription.deleted",
] as const;
export const INVOICE_EVENTS = ["invoice.paid", "invoice.payment_failed"] as const;
export const CATALOGUE_EVENTS = [
  "product.created",
  "product.updated",
  "product.deleted",
  "price.created",
  "price.updated",
  "price.deleted",
] as const;

export const HANDLED_STRIPE_EVENTS: ReadonlySet<string> = new Set([
  "checkout.session.completed",
  ...SUBSCRIPTION_EVENTS,
  ...INVOICE_EVENTS,
  ...CATALOGUE_EVENTS,
]);

/**
 * Which events must be applied one at a time: all of one customer's billing events (they change the same
 * subscription), and the whole catalogue's. Each step re-reads the object from Stripe, so when they run in turn
 * the last one writes Stripe's latest state, whatever order the deliveries came in.
 */
export function sequenceKeyOf(type: string, object: Record<string, unknown>): string {
  if (type.startsWith("product.") || type.startsWith("price.")) return "catalogue";
  const customer = object.customer as string | { id: string } | null | undefined;
  const customerId = typeof customer === "string" ? customer : customer?.id;
  return customerId ? `customer:${customerId}` : `object:${String(object.id ?? "")}`;
}
