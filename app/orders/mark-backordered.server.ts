import { asService } from "~/db.server";
import { recordOrderStep } from "./order-history.server";

/** Out of stock: the order waits, uncharged, with what is missing as its reason. */
export async function markBackordered(orderId: string, detail: string) {
  await asService(async (tx) => {
    await tx`update orders set status = 'backordered', failure_reason = ${detail}, updated_at = now() where id = ${orderId}`;
    await recordOrderStep(tx, orderId, "backordered", detail);
  });
}
