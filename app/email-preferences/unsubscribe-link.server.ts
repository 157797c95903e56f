import { createHmac, hkdfSync, timingSafeEqual } from "node:crypto";
import { env } from "~/env.server";

/** The mail a person can stop with one click, and the profile column that says whether they get it. */
export const MAILING_LISTS = {
  digest: { column: "digest_opt_in", name: "the daily digest" },
  tips: { column: "tips_opt_in", name: "getting-started tips" },
} as const;
export type MailingList = keyof typeof MAILING_LISTS;

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The key unsubscribe links are signed with, derived from the service role key with HKDF under a label of its
 * own: a secret every deploy already has, never used as is, so a link's signature says nothing about the key.
 */
function signingKey(): Buffer {
  return Buffer.from(hkdfSync("sha256", env().SUPABASE_SERVICE_ROLE_KEY, "", "stepwise unsubscribe link v1", 32));
}

function signature(userId: string, list: MailingList): string {
  return createHmac("sha256", signingKey()).update(`unsubscribe:${userId}:${list}`).digest("base64url");
}

/**
 * The one-click unsubscribe link for `userId` and `list`, and the RFC 8058 headers that offer it to mail
 * clients (`List-Unsubscribe` with the link, `List-Unsubscribe-Post` saying a POST is the one click).
 */
export function unsubscribeLink(userId: string, list: MailingList): { url: string; headers: Record<string, string> } {
  const url = new URL("/unsubscribe", env().APP_URL);
  url.search = new URLSearchParams({ user: userId, list, sig: signature(userId, list) }).toString();
  return {
    url: url.toString(),
    headers: { "List-Unsubscribe": `<${url}>`, "List-Unsubscribe-Post": "List-Unsubscribe=One-Click" },
  };
}

/** The user and list a link names, if its signature is ours; null for anything edited, truncated or forged. */
export function verifyUnsubscribeLink(params: URLSearchParams): { userId: string; list: MailingList } | null {
  const userId = params.get("user") ?? "";
  const list = params.get("list") ?? "";
  const given = Buffer.from(params.get("sig") ?? "");
  if (!uuid.test(userId) || !(list in MAILING_LISTS)) return null;
  const expected = Buffer.from(signature(userId, list as MailingList));
  return given.length === expected.length && timingSafeEqual(given, expected)
    ? { userId, list: list as MailingList }
    : null;
}
