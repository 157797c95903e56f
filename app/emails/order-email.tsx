import { Text } from "@react-email/components";
import { EmailLayout } from "./email-layout";

type OrderEmailKind = "shipped" | "backordered" | "payment_failed" | "failed";

const COPY: Record<OrderEmailKind, { subject: string; body: string }> = {
  shipped: { subject: "Your order is on its way", body: "We charged your card and your order has shipped." },
  backordered: {
    subject: "Your order is backordered",
    body: "Some items are out of stock. You have not been charged; we will write when they are back.",
  },
  payment_failed: {
    subject: "Your payment was declined",
    body: "Your card was declined, so we did not ship or reserve anything. Please try another card.",
  },
  failed: {
    subject: "We could not complete your order",
    body: "Something went wrong processing your order. Any charge has been refunded.",
  },
};

export function orderEmailSubject(kind: OrderEmailKind, orderNumber: string) {
  return `${COPY[kind].subject} (order ${orderNumber})`;
}

export function OrderEmail({
  kind,
  orderNumber,
  detail,
}: {
  kind: OrderEmailKind;
  orderNumber: string;
  detail?: string;
}) {
  return (
    <EmailLayout preview={COPY[kind].subject} heading={orderEmailSubject(kind, orderNumber)}>
      <Text>{COPY[kind].body}</Text>
      {detail ? <Text>{detail}</Text> : null}
    </EmailLayout>
  );
}
