import { createElement } from "react";
import { asService } from "~/db.server";
import { OrderEmail, orderEmailSubject } from "~/emails/order-email";
import { sendEmail } from "~/services/email.server";

/** Emails the buyer about the order's outcome, once per order and outcome. */
export async function notifyBuyer(
  orderId: string,
  kind: "shipped" | "backordered" | "payment_failed" | "failed",
  detail?: string,
) {
  const [order] = await asService(
    (tx) => tx<{ user_id: string; email: string }[]>`
    select o.user_id, p.email from orders o join profiles p on p.id = o.user_id where o.id = ${orderId}`,
  );
  if (!order) return { sent: false };
  const orderNumber = orderId.slice(0, 8);
  await sendEmail({
    to: order.email,
    subject: orderEmailSubject(kind, orderNumber),
    body: createElement(OrderEmail, { kind, orderNumber, detail }),
    kind: `order_${kind}`,
    idempotencyKey: `order-${orderId}-${kind}`,
    userId: order.user_id,
  });
  return { sent: true };
}
