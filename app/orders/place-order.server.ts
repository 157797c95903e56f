import { z } from "zod";
import { withUser, type UserClaims } from "~/db.server";
import { inngest } from "~/inngest/client.server";
import { orderPlaced } from "~/inngest/events.server";
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
 * Places an order as the signed-in user (row level security checks the rows are theirs) and starts the order
 * workflow. The order and its items are written in one transaction; the event carries only ids.
 */
export async function placeOrder(
  claims: UserClaims,
  input: PlaceOrderInput,
): Promise<{ orderId: string } | { error: string }> {
  const placed = await withUser(claims, async (tx) => {
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
    return { orderId: order!.id, totalCents: total };
  });
  if (!placed) return { error: "That product does not exist" };
  await inngest.send(
    orderPlaced.create(
      { orderId: placed.orderId, userId: claims.sub, totalCents: placed.totalCents },
      { id: `order-placed-${placed.orderId}` },
    ),
  );
  return { orderId: placed.orderId };
}
