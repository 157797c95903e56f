import { NonRetriableError } from "inngest";
import { asService } from "~/db.server";
import { recordOrderStep } from "./order-history.server";

/**
 * Takes the stock and marks the order shipped, in one transaction: either every item is reserved or none is.
 * Running it again after it succeeded changes nothing, so stock is never taken twice.
 */
export async function shipOrder(orderId: string): Promise<{ shipped: boolean }> {
  return asService(async (tx) => {
    const [order] = await tx<{ status: string }[]>`select status from orders where id = ${orderId} for update`;
    if (order?.status === "shipped") return { shipped: true };
    const items = await tx<
      { product_id: string; quantity: number }[]
    >`select product_id, quantity from order_items where order_id = ${orderId}`;
    for (const item of items) {
      const taken = await tx`update inventory set on_hand = on_hand - ${item.quantity}, updated_at = now()
        where product_id = ${item.product_id} and on_hand >= ${item.quantity} returning on_hand`;
      // Stock sold out between the check and now: retrying will not bring it back; onFailure refunds.
      if (taken.length === 0)
        throw new NonRetriableError(`Product ${item.product_id} sold out before the order shipped`);
    }
    await tx`update orders set status = 'shipped', updated_at = now() where id = ${orderId}`;
    await recordOrderStep(tx, orderId, "shipped");
    return { shipped: true };
  });
}
