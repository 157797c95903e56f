import type { EmailOtpType } from "@supabase/supabase-js";
import { env } from "~/env.server";

/**
 * Where Supabase Auth's mails link to (their `{{ .RedirectTo }}`, see supabase/templates/): this deploy's
 * /auth/confirm, which verifies the link's token hash server-side. It must be on Auth's redirect allow list.
 */
export function emailLinkTarget(): string {
  return `${env().APP_URL}/auth/confirm`;
}

/** The kinds of link the templates send, and where each leads once its token is verified. */
export const EMAIL_LINKS = {
  email: { next: "/shop?welcome=1", button: "Confirm my email address", title: "Confirm your email address" },
  recovery: { next: "/reset-password", button: "Choose a new password", title: "Reset your password" },
  email_change: { next: "/settings", button: "Confirm the new address", title: "Confirm your new address" },
} as const satisfies Partial<Record<EmailOtpType, { next: string; button: string; title: string }>>;

export type EmailLinkType = keyof typeof EMAIL_LINKS;

export function isEmailLinkType(value: unknown): value is EmailLinkType {
  return typeof value === "string" && Object.hasOwn(EMAIL_LINKS, value);
}
