import type Stripe from "stripe";

/**
 * The subscription an invoice bills, or null for a one-off invoice. Since API version 2025-03-31 it sits at
 * `parent.subscription_details.subscription`; older versions put it at `invoice.subscription`.
 */
export function subscriptionOfInvoice(invoice: Stripe.Invoice): string | null {
  const legacy = (invoice as unknown as { subscription?: string | { id: string } | null }).subscription;
  const value = invoice.parent?.subscription_details?.subscription ?? legacy;
  if (!value) return null;
  return typeof value === "string" ? value : value.id;
}
