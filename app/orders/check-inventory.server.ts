import { NonRetriableError } from "inngest";
import { asService } from "~/db.server";
import { recordOrderStep } from "./order-history.server";

export interface InventoryCheck {
  available: boolean;
  missing: Array<{ productId: string; name: string; requested: number; available: number }>;
}

/** Whether stock covers every item of the order right now (stock is only taken when the order ships). */
export async function checkInventory(orderId: string): Promise<InventoryCheck> {
  return asService(async (tx) => {
    const items = await tx<{ product_id: string; name: string; quantity: number; on_hand: number }[]>`
      select i.product_id, p.name, i.quantity, coalesce(v.on_hand, 0) as on_hand
      from order_items i join products p on p.id = i.product_id left join inventory v on v.product_id = i.product_id
      where i.order_id = ${orderId}`;
    // An order without items cannot gain any by retrying: fail the run now so onFailure marks it failed.
    if (items.length === 0) throw new NonRetriableError(`Order ${orderId} has no items`);
    const missing = items
      .filter((item) => item.on_hand < item.quantity)
      .map((item) => ({
        productId: item.product_id,
        name: item.name,
        requested: item.quantity,
        available: item.on_hand,
      }));
    await tx`update orders set status = 'processing', updated_at = now() where id = ${orderId} and status = 'placed'`;
    await recordOrderStep(
      tx,
      orderId,
      "inventory_checked",
      missing.length ? `${missing.length} item(s) short` : "all items in stock",
    );
    return { available: missing.length === 0, missing };
  });
}
