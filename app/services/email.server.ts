import { render } from "@react-email/components";
import type { ReactElement } from "react";
import { Resend } from "resend";
import { asService } from "~/db.server";
import { env } from "~/env.server";

let client: Resend | undefined;

/** The Resend SDK; it reads RESEND_BASE_URL itself (the local emulator), else api.resend.com. */
function resend(): Resend {
  client ??= new Resend(env().RESEND_API_KEY);
  return client;
}

export interface OutgoingEmail {
  to: string;
  subject: string;
  body: ReactElement;
  kind: string;
  /** One key per logical email: a retried step sends it once (Resend dedupes, and so does our log). */
  idempotencyKey: string;
  userId?: string;
  /** Extra headers, e.g. RFC 8058's List-Unsubscribe pair for mail a person can stop. */
  headers?: Record<string, string>;
}

/**
 * Renders a React Email template to HTML and text and sends it through Resend. Throws when Resend answers with
 * an error (the SDK returns `{ error }` instead of throwing), so the Inngest step fails and is retried.
 */
export async function sendEmail(email: OutgoingEmail): Promise<{ id: string; alreadySent: boolean }> {
  const [logged] = await asService(
    (tx) => tx<{ provider_message_id: string }[]>`
    select provider_message_id from email_log where idempotency_key = ${email.idempotencyKey}`,
  );
  if (logged) return { id: logged.provider_message_id, alreadySent: true };

  const [html, text] = await Promise.all([render(email.body), render(email.body, { plainText: true })]);
  const { data, error } = await resend().emails.send(
    {
      from: env().EMAIL_FROM,
      to: email.to,
      subject: email.subject,
      html,
      text,
      tags: [{ name: "kind", value: email.kind }],
      ...(email.headers ? { headers: email.headers } : {}),
    },
    { idempotencyKey: email.idempotencyKey },
  );
  if (error || !data)
    throw new Error(`Resend refused the ${email.kind} email to ${email.to}: ${error?.message ?? "no id returned"}`);

  await asService(
    (tx) => tx`
    insert into email_log (user_id, idempotency_key, kind, to_address, subject, provider_message_id)
    values (${email.userId ?? null}, ${email.idempotencyKey}, ${email.kind}, ${email.to}, ${email.subject}, ${data.id})
    on conflict (idempotency_key) do nothing`,
  );
  return { id: data.id, alreadySent: false };
}
