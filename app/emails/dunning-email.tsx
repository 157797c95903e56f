import { Button, Text } from "@react-email/components";
import { EmailLayout } from "./email-layout";

export const DUNNING_SUBJECT = "Your Stepwise payment failed: please update your card";

export function DunningEmail({ name, amount, updateCardUrl }: { name: string; amount: string; updateCardUrl: string }) {
  return (
    <EmailLayout preview="We could not renew your subscription" heading={`${name}, your payment did not go through`}>
      <Text>
        We tried to charge {amount} for your Stepwise subscription and your card was declined. Your plan stays active
        while we retry over the next days; update your card to keep it.
      </Text>
      <Button
        href={updateCardUrl}
        style={{ backgroundColor: "#3b5bdb", color: "#fff", padding: "10px 16px", borderRadius: "6px" }}
      >
        Update your card
      </Button>
    </EmailLayout>
  );
}
