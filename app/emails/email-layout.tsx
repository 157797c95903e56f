import { Body, Container, Head, Heading, Html, Link, Preview, Section, Text } from "@react-email/components";
import type { ReactNode } from "react";

/** Mail a person asked for and can stop: the footer says how, with a link that works without signing in. */
export interface Unsubscribe {
  url: string;
  /** What the link stops, e.g. "the daily digest". */
  what: string;
}

/** The frame every Stepwise email shares: a preview line, a heading and the Stepwise footer. */
export function EmailLayout({
  preview,
  heading,
  children,
  unsubscribe,
}: {
  preview: string;
  heading: string;
  children: ReactNode;
  unsubscribe?: Unsubscribe;
}) {
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
            {unsubscribe ? (
              <>
                {" "}
                <Link href={unsubscribe.url}>Stop {unsubscribe.what}</Link>.
              </>
            ) : null}
          </Text>
        </Container>
      </Body>
    </Html>
  );
}
