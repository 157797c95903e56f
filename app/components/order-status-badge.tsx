const TONE: Record<string, string> = {
  shipped: "status-ok",
  paid: "status-ok",
  backordered: "status-warn",
  placed: "",
  processing: "",
  requires_authentication: "status-warn",
  payment_failed: "status-bad",
  failed: "status-bad",
  refunded: "status-bad",
};

export const TERMINAL_ORDER_STATUSES = new Set(["shipped", "backordered", "payment_failed", "failed", "refunded"]);

export function OrderStatusBadge({ status }: { status: string }) {
  return <span className={`status ${TONE[status] ?? ""}`}>{status.replace("_", " ")}</span>;
}
