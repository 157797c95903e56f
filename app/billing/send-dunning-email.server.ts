import { createElement } from "react";
import { formatMoney } from "~/components/money";
import { DUNNING_SUBJECT, DunningEmail } from "~/emails/dunning-email";
import { env } from "~/env.server";
import { sendEmail } from "~/services/email.server";
import { stripe } from "~/services/stripe.server";
import { loadUserForEmail } from "~/users/load-user.server";

/**
 * Tells the customer a renewal failed, with a link to replace the card in the Customer Portal. Once per invoice
 * (the email's idempotency key), and not at all when the invoice is settled by the time this runs (a retry of
 * the payment succeeded, or it was voided): the invoice is read back from Stripe first.
 */
export async function sendDunningEmail(invoiceId: string, userId: string): Promise<{ sent: boolean; reason?: string }> {
  const invoice = await stripe().invoices.retrieve(invoiceId);
  if (invoice.status !== "open") return { sent: false, reason: `the invoice is ${invoice.status} now` };
  const user = await loadUserForEmail(userId);
  if (!user) return { sent: false, reason: "the account is gone" };
  await sendEmail({
    to: user.email,
    subject: DUNNING_SUBJECT,
    body: createElement(DunningEmail, {
      name: user.name,
      amount: formatMoney(invoice.amount_due, invoice.currency),
      updateCardUrl: `${env().APP_URL}/billing/portal`,
    }),
    kind: "dunning",
    idempotencyKey: `dunning-${invoice.id}`,
    userId,
  });
  return { sent: true };
}
