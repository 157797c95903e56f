import { Text } from "@react-email/components";
import { EmailLayout, type Unsubscribe } from "./email-layout";

export function TipsEmail({ name, unsubscribe }: { name: string; unsubscribe?: Unsubscribe }) {
  return (
    <EmailLayout
      preview="Three things to try in Stepwise"
      heading={`Getting started tips, ${name}`}
      unsubscribe={unsubscribe}
    >
      <Text>1. Place an order and watch each step of its workflow on the order page.</Text>
      <Text>2. Upload a PDF under Documents, then search it with a question in your own words.</Text>
      <Text>3. Turn the daily digest on or off in Settings.</Text>
    </EmailLayout>
  );
}
