import { createElement } from "react";
import { describe, expect, it } from "vitest";
import { startStepTestServices } from "../support/step-test-services";
import { startForFile } from "../../support/start-for-file";

const services = startForFile(startStepTestServices);

async function welcome(to: string, idempotencyKey: string) {
  const { sendEmail } = await import("../../../app/services/email.server");
  const { WelcomeEmail } = await import("../../../app/emails/welcome-email");
  return sendEmail({
    to,
    subject: "Welcome to Stepwise",
    body: createElement(WelcomeEmail, { name: "Ada", appUrl: "http://app.test" }),
    kind: "welcome",
    idempotencyKey,
  });
}

describe("sending an email", () => {
  it("sends the template as HTML and plain text and logs it under its key", async () => {
    const sent = await welcome("ada@example.com", "welcome-test-1");
    expect(sent).toEqual({ id: expect.any(String), alreadySent: false });
    const [message] = await services.mailTo("ada@example.com");
    expect(message!.subject).toBe("Welcome to Stepwise");
    expect(message!.html).toContain("<h1");
    expect(message!.html).toContain("Welcome to Stepwise, Ada!");
    // Plain-text rendering writes headings in capitals.
    expect(message!.text).toContain("WELCOME TO STEPWISE, ADA!");
    expect(message!.text).toContain("Your account is ready.");
    expect(message!.text).not.toContain("<");
    const log =
      await services.sql`select kind, to_address, provider_message_id from email_log where idempotency_key = 'welcome-test-1'`;
    expect(log).toEqual([{ kind: "welcome", to_address: "ada@example.com", provider_message_id: sent.id }]);
  });

  it("sends once when the step runs again with the same key", async () => {
    const first = await welcome("grace@example.com", "welcome-test-2");
    expect(await welcome("grace@example.com", "welcome-test-2")).toEqual({ id: first.id, alreadySent: true });
    expect(await services.mailTo("grace@example.com")).toHaveLength(1);
  });

  it("sends once when the step failed after Resend accepted the email, before the log was written", async () => {
    const first = await welcome("hedy@example.com", "welcome-test-3");
    await services.sql`delete from email_log where idempotency_key = 'welcome-test-3'`;
    // Resend answers the repeated key with the first message's id and delivers nothing new.
    expect(await welcome("hedy@example.com", "welcome-test-3")).toEqual({ id: first.id, alreadySent: false });
    expect(await services.mailTo("hedy@example.com")).toHaveLength(1);
  });

  it("throws when Resend answers with an error, so Inngest retries the step, and logs nothing", async () => {
    services.resend.faults.arm(500);
    await expect(welcome("alan@example.com", "welcome-test-4")).rejects.toThrow(
      /Resend refused the welcome email to alan@example.com/,
    );
    expect(await services.sql`select 1 from email_log where idempotency_key = 'welcome-test-4'`).toHaveLength(0);
    await welcome("alan@example.com", "welcome-test-4");
    expect(await services.mailTo("alan@example.com")).toHaveLength(1);
  });
});

describe("the email templates", () => {
  it("render every order outcome with its subject and the reason", async () => {
    const { render } = await import("@react-email/components");
    const { OrderEmail, orderEmailSubject } = await import("../../../app/emails/order-email");
    for (const kind of ["shipped", "backordered", "payment_failed", "failed"] as const) {
      const text = await render(
        createElement(OrderEmail, { kind, orderNumber: "1a2b3c4d", detail: "Desk Lamp: 0 of 1 in stock" }),
        { plainText: true },
      );
      expect(text).toContain(orderEmailSubject(kind, "1a2b3c4d").toUpperCase());
      expect(text).toContain("Desk Lamp: 0 of 1 in stock");
    }
  });

  it("render the digest's counts and the tips", async () => {
    const { render } = await import("@react-email/components");
    const { DigestEmail } = await import("../../../app/emails/digest-email");
    const { TipsEmail } = await import("../../../app/emails/tips-email");
    const digest = await render(
      createElement(DigestEmail, {
        name: "Ada",
        date: "2026-11-25",
        summary: { ordersPlaced: 2, ordersShipped: 1, documentsReady: 3 },
      }),
      { plainText: true },
    );
    expect(digest).toContain("2 order(s) placed, 1 shipped, 3 document(s) ready");
    expect(await render(createElement(TipsEmail, { name: "Ada" }), { plainText: true })).toContain(
      "GETTING STARTED TIPS, ADA",
    );
  });
});
