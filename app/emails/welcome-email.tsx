import { Button, Text } from "@react-email/components";
import { EmailLayout } from "./email-layout";

export function WelcomeEmail({ name, appUrl }: { name: string; appUrl: string }) {
  return (
    <EmailLayout preview="Your Stepwise account is ready" heading={`Welcome to Stepwise, ${name}!`}>
      <Text>Your account is ready. Browse the shop, upload a PDF to search it by meaning, or pick a plan.</Text>
      <Button
        href={appUrl}
        style={{ backgroundColor: "#3b5bdb", color: "#fff", padding: "10px 16px", borderRadius: "6px" }}
      >
        Open Stepwise
      </Button>
    </EmailLayout>
  );
}
