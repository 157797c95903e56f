import { Body, Container, Head, Heading, Html, Preview, Section, Text } from "@react-email/components";
import type { ReactNode } from "react";

/** The frame every Stepwise email shares: a preview line, a heading and the Stepwise footer. */
export function EmailLayout({ preview, heading, children }: { preview: string; heading: string; children: ReactNode }) {
  return (
    <Html lang="en">
      <Head />
      <Preview>{preview}</Preview>
      <Body style={{ fontFamily: "system-ui, sans-serif", backgroundColor: "#f5f6f8", margin: 0 }}>
        <Container style={{ backgroundColor: "#ffffff", padding: "24px", maxWidth: "560px" }}>
          <Heading as="h1" style={{ fontSize: "22px" }}>
            {heading}
          </Heading>
          <Section>{children}</Section>
          <Text style={{ color: "#5b6170", fontSize: "12px" }}>
            Stepwise · you get this email because you have an account.
          </Text>
        </Container>
      </Body>
    </Html>
  );
}
