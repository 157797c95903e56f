import { randomUUID } from "node:crypto";
import type { MailStore } from "../resend/mail-store";
import type { AuthConfig, EmailTemplateName } from "./auth-config";

/** What GoTrue's templates may name (`{{ .ConfirmationURL }}`, `{{ .TokenHash }}`, …). */
export interface TemplateData {
  SiteURL: string;
  ConfirmationURL: string;
  Email: string;
  NewEmail?: string;
  Token: string;
  TokenHash: string;
  RedirectTo: string;
  Data: Record<string, unknown>;
}

/**
 * Auth's mail, delivered to the local mailbox as `supabase start` delivers it to Inbucket. Templates are Go
 * templates; the emulator fills in `{{ .Name }}` placeholders (and `{{ .Data.key }}`), which is all the project's
 * templates use.
 */
export function authMailer(config: AuthConfig, mailbox: MailStore, now: () => number) {
  const render = (text: string, data: TemplateData) =>
    text.replace(/\{\{\s*\.([A-Za-z]+)(?:\.([A-Za-z0-9_]+))?\s*\}\}/g, (whole, name: string, key?: string) => {
      const value = (data as unknown as Record<string, unknown>)[name];
      if (key) return escapeHtml(String((value as Record<string, unknown> | undefined)?.[key] ?? ""));
      return value === undefined ? whole : escapeHtml(String(value));
    });

  return {
    async send(template: EmailTemplateName, to: string, data: TemplateData) {
      const { subject, content } = config.templates[template];
      await mailbox.insert(
        {
          id: randomUUID(),
          from: config.sender,
          to: [to],
          cc: [],
          bcc: [],
          reply_to: [],
          subject: render(subject, data),
          html: render(content, data),
          text: null,
          headers: {},
          tags: [{ name: "sent_by", value: "supabase-auth" }],
          created_at: new Date(now()).toISOString(),
        },
        null,
        "",
      );
    },
  };
}

export type AuthMailer = ReturnType<typeof authMailer>;

const ENTITIES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&#34;", "'": "&#39;" };

/** As Go's html/template escapes a value in text and attributes. */
function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ENTITIES[c]!);
}
