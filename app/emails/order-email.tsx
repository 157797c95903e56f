import { Button, Text } from "@react-email/components";
import { EmailLayout } from "./email-layout";

export type OrderEmailKind = "shipped" | "backordered" | "payment_failed" | "failed" | "requires_authentication";

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
  requires_authentication: {
    subject: "Please confirm your payment",
    body: "Your bank asks you to confirm this payment before we charge your card. Your order waits until you do.",
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
  actionUrl,
}: {
  kind: OrderEmailKind;
  orderNumber: string;
  detail?: string;
  /** Where the buyer acts on this email (confirming a payment), if they must. */
  actionUrl?: string;
}) {
  return (
    <EmailLayout preview={COPY[kind].subject} heading={orderEmailSubject(kind, orderNumber)}>
      <Text>{COPY[kind].body}</Text>
      {detail ? <Text>{detail}</Text> : null}
      {actionUrl ? (
        <Button
          href={actionUrl}
          style={{ backgroundColor: "#3b5bdb", color: "#fff", padding: "10px 16px", borderRadius: "6px" }}
        >
          Confirm your payment
        </Button>
      ) : null}
    </EmailLayout>
  );
}
