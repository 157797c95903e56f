import { z } from "zod";
import { asService, type UserClaims } from "~/db.server";
import { orderPlaced } from "~/inngest/events.server";
import { enqueueEvent } from "~/outbox/enqueue-event.server";
import { relayEvents } from "~/outbox/relay-events.server";
import { recordOrderStep } from "./order-history.server";

export const PlaceOrderInput = z.object({
  productId: z.uuid({ error: "Choose a product" }),
  quantity: z.coerce
    .number({ error: "Enter a quantity" })
    .int("Enter a whole number")
    .min(1, "Order at least 1")
    .max(100, "Order at most 100 at a time"),
  paymentMethod: z.enum(["pm_card_visa", "pm_card_chargeDeclined"], { error: "Choose a test card" }),
});
export type PlaceOrderInput = z.infer<typeof PlaceOrderInput>;

/**
 * Places an order for the signed-in user and starts the order workflow. Users cannot write orders themselves
 * (the anon key is public, so anything they may insert they may insert with any price): the server writes the
 * order, its item and its first history row with the service role, in one transaction, with the price and the
 * total taken from the catalogue. The `order/placed` event is written to the outbox in the same transaction, so
 * an order never waits for an event that was lost; it is delivered at once if Inngest answers, later by the
 * relay if not, and the user's order stands either way. The event carries only ids.
 */
export async function placeOrder(
  claims: UserClaims,
  input: PlaceOrderInput,
): Promise<{ orderId: string } | { error: string }> {
  const placed = await asService(async (tx) => {
    const [product] = await tx<
      { price_cents: number; currency: string }[]
    >`select price_cents, currency from products where id = ${input.productId}`;
    if (!product) return null;
    const total = product.price_cents * input.quantity;
    const [order] = await tx<{ id: string }[]>`insert into orders (user_id, total_cents, currency, payment_method)
      values (${claims.sub}, ${total}, ${product.currency}, ${input.paymentMethod}) returning id`;
    await tx`insert into order_items (order_id, product_id, quantity, unit_price_cents)
      values (${order!.id}, ${input.productId}, ${input.quantity}, ${product.price_cents})`;
    await recordOrderStep(tx, order!.id, "placed");
    const eventId = await enqueueEvent(
      tx,
      orderPlaced.create(
        { orderId: order!.id, userId: claims.sub, totalCents: total },
        { id: `order-placed-${order!.id}` },
      ),
    );
    return { orderId: order!.id, eventId };
  });
  if (!placed) return { error: "That product does not exist" };
  await relayEvents([placed.eventId]);
  return { orderId: placed.orderId };
}
