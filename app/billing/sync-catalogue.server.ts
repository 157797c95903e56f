import Stripe from "stripe";
import { asService } from "~/db.server";
import { stripe } from "~/services/stripe.server";
import { skipStripeEvent } from "./skip-stripe-event.server";
import { idOf } from "./sync-subscription.server";

const isMissing = (error: unknown) =>
  error instanceof Stripe.errors.StripeInvalidRequestError && error.code === "resource_missing";

/**
 * Mirrors one product as Stripe holds it now (read back, as for subscriptions). A product Stripe no longer has
 * was deleted there, so it leaves the catalogue too; one this app never had and Stripe does not hold either
 * (another account's fixture) is skipped.
 */
export async function syncProduct(eventId: string, type: string, productId: string): Promise<{ active: boolean }> {
  let product: Stripe.Product;
  try {
    product = await stripe().products.retrieve(productId);
  } catch (error) {
    if (!isMissing(error)) throw error;
    const removed = await asService(async (tx) => {
      const rows = await tx`delete from billing_products where id = ${productId} returning id`;
      await tx`delete from billing_prices where product_id = ${productId}`;
      if (rows.length)
        await tx`insert into processed_stripe_events (stripe_event_id, type) values (${eventId}, ${type}) on conflict do nothing`;
      return rows.length > 0;
    });
    if (!removed)
      return skipStripeEvent(eventId, type, productId, `product ${productId} is not in this Stripe account`);
    return { active: false };
  }
  const updatedAt = new Date((product.updated ?? product.created) * 1000);
  await asService(async (tx) => {
    // Stripe stamps every change of a product: a copy older than the one stored never wins.
    await tx`insert into billing_products (id, name, description, active, metadata, stripe_updated_at)
      values (${product.id}, ${product.name}, ${product.description ?? null}, ${product.active}, ${tx.json(product.metadata ?? {})}, ${updatedAt})
      on conflict (id) do update set name = excluded.name, description = excluded.description, active = excluded.active,
        metadata = excluded.metadata, stripe_updated_at = excluded.stripe_updated_at, synced_at = now()
      where billing_products.stripe_updated_at <= excluded.stripe_updated_at`;
    await tx`insert into processed_stripe_events (stripe_event_id, type) values (${eventId}, ${type}) on conflict do nothing`;
  });
  return { active: product.active };
}

/** Mirrors one price as Stripe holds it now; a price Stripe no longer has, or never had here, as for products. */
export async function syncPrice(eventId: string, type: string, priceId: string): Promise<{ active: boolean }> {
  let price: Stripe.Price;
  try {
    price = await stripe().prices.retrieve(priceId);
  } catch (error) {
    if (!isMissing(error)) throw error;
    const removed = await asService(async (tx) => {
      const rows = await tx`delete from billing_prices where id = ${priceId} returning id`;
      if (rows.length)
        await tx`insert into processed_stripe_events (stripe_event_id, type) values (${eventId}, ${type}) on conflict do nothing`;
      return rows.length > 0;
    });
    if (!removed) return skipStripeEvent(eventId, type, priceId, `price ${priceId} is not in this Stripe account`);
    return { active: false };
  }
  await asService(async (tx) => {
    await tx`insert into billing_prices (id, product_id, active, currency, unit_amount, recurring_interval, recurring_interval_count, lookup_key)
      values (${price.id}, ${idOf(price.product)}, ${price.active}, ${price.currency}, ${price.unit_amount ?? null},
        ${price.recurring?.interval ?? null}, ${price.recurring?.interval_count ?? null}, ${price.lookup_key ?? null})
      on conflict (id) do update set product_id = excluded.product_id, active = excluded.active, currency = excluded.currency,
        unit_amount = excluded.unit_amount, recurring_interval = excluded.recurring_interval,
        recurring_interval_count = excluded.recurring_interval_count, lookup_key = excluded.lookup_key, synced_at = now()`;
    await tx`insert into processed_stripe_events (stripe_event_id, type) values (${eventId}, ${type}) on conflict do nothing`;
  });
  return { active: price.active };
}
