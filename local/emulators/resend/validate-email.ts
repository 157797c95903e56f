import type { StoredMessage } from "./mail-store";

const ADDRESS = /^[^@\s<>]+@[^@\s<>]+\.[^@\s<>]+$/;
const NAMED_ADDRESS = /^[^<>]*<([^@\s<>]+@[^@\s<>]+\.[^@\s<>]+)>$/;

export interface EmailInput {
  from?: unknown;
  to?: unknown;
  cc?: unknown;
  bcc?: unknown;
  reply_to?: unknown;
  subject?: unknown;
  html?: unknown;
  text?: unknown;
  headers?: unknown;
  tags?: unknown;
}

/** Resend's checks on `POST /emails`: a message it would refuse with 422, with the message it would give. */
export function validateEmail(
  input: EmailInput,
): { ok: true; message: Omit<StoredMessage, "id" | "created_at"> } | { ok: false; error: string } {
  if (typeof input.from !== "string" || !input.from) return { ok: false, error: "Missing `from` field." };
  if (!isAddress(input.from))
    return {
      ok: false,
      error:
        "Invalid `from` field. The email address needs to follow the `email@example.com` or `Name <email@example.com>` format.",
    };
  const to = list(input.to);
  if (to.length === 0) return { ok: false, error: "Missing `to` field." };
  if (to.length > 50) return { ok: false, error: "Too many recipients: `to` accepts at most 50 addresses." };
  for (const field of ["to", "cc", "bcc", "reply_to"] as const) {
    const bad = list(input[field]).find((address) => !isAddress(address));
    if (bad)
      return {
        ok: false,
        error: `Invalid \`${field}\` field. The email address needs to follow the \`email@example.com\` or \`Name <email@example.com>\` format.`,
      };
  }
  if (typeof input.subject !== "string" || !input.subject) return { ok: false, error: "Missing `subject` field." };
  if (typeof input.html !== "string" && typeof input.text !== "string")
    return { ok: false, error: "Missing `html` or `text` field." };
  return {
    ok: true,
    message: {
      from: input.from,
      to,
      cc: list(input.cc),
      bcc: list(input.bcc),
      reply_to: list(input.reply_to),
      subject: input.subject,
      html: typeof input.html === "string" ? input.html : null,
      text: typeof input.text === "string" ? input.text : null,
      headers: (input.headers && typeof input.headers === "object" ? input.headers : {}) as Record<string, string>,
      tags: Array.isArray(input.tags) ? (input.tags as StoredMessage["tags"]) : [],
    },
  };
}

function list(value: unknown): string[] {
  if (typeof value === "string") return [value];
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];
}

function isAddress(value: string): boolean {
  return ADDRESS.test(value.trim()) || NAMED_ADDRESS.test(value.trim());
}
