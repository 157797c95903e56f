import { createElement } from "react";
import { asService } from "~/db.server";
import { OrderEmail, orderEmailSubject, type OrderEmailKind } from "~/emails/order-email";
import { env } from "~/env.server";
import { sendEmail } from "~/services/email.server";

/** Emails the buyer about the order's outcome (or what it waits for from them), once per order and kind. */
export async function notifyBuyer(orderId: string, kind: OrderEmailKind, detail?: string) {
  const [order] = await asService(
    (tx) => tx<{ user_id: string; email: string }[]>`
    select o.user_id, p.email from orders o join profiles p on p.id = o.user_id where o.id = ${orderId}`,
  );
  if (!order) return { sent: false };
  const orderNumber = orderId.slice(0, 8);
  await sendEmail({
    to: order.email,
    subject: orderEmailSubject(kind, orderNumber),
    body: createElement(OrderEmail, {
      kind,
      orderNumber,
      detail,
      actionUrl: kind === "requires_authentication" ? `${env().APP_URL}/orders/${orderId}/pay` : undefined,
    }),
    kind: `order_${kind}`,
    idempotencyKey: `order-${orderId}-${kind}`,
    userId: order.user_id,
  });
  return { sent: true };
}
