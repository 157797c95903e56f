import type { Tx } from "~/db.server";

export type OrderStep =
  | "placed"
  | "inventory_checked"
  | "payment_validated"
  | "authentication_requested"
  | "charged"
  | "shipped"
  | "backordered"
  | "payment_failed"
  | "failed"
  | "refunded";

/** Records a step of the order's timeline once; a retried workflow step writing it again changes nothing. */
export async function recordOrderStep(tx: Tx, orderId: string, step: OrderStep, detail?: string) {
  await tx`insert into order_status_history (order_id, step, detail) values (${orderId}, ${step}, ${detail ?? null})
    on conflict (order_id, step) do nothing`;
}
