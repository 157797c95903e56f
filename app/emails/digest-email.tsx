import { Text } from "@react-email/components";
import { EmailLayout, type Unsubscribe } from "./email-layout";

export interface DigestSummary {
  ordersPlaced: number;
  ordersShipped: number;
  documentsReady: number;
}

export function DigestEmail({
  name,
  date,
  summary,
  unsubscribe,
}: {
  name: string;
  date: string;
  summary: DigestSummary;
  unsubscribe?: Unsubscribe;
}) {
  return (
    <EmailLayout
      preview={`Your Stepwise digest for ${date}`}
      heading={`Your daily digest, ${name}`}
      unsubscribe={unsubscribe}
    >
      <Text>
        In the last day: {summary.ordersPlaced} order(s) placed, {summary.ordersShipped} shipped,{" "}
        {summary.documentsReady} document(s) ready to search.
      </Text>
      <Text>You can turn the digest off in Settings.</Text>
    </EmailLayout>
  );
}
