import { env } from "./env.server";
import { LOCAL_PORTS } from "../contracts/local-defaults";

/** Links to the local executor dashboard and mailbox, shown only when running on the local stack. */
export function localToolLinks(): Array<{ label: string; href: string }> {
  const { localStack, INNGEST_DEV, RESEND_BASE_URL } = env();
  if (!localStack || !INNGEST_DEV) return [];
  return [
    {
      label: "Workflows",
      href: INNGEST_DEV.startsWith("http") ? INNGEST_DEV : `http://127.0.0.1:${LOCAL_PORTS.inngest}`,
    },
    ...(RESEND_BASE_URL ? [{ label: "Mailbox", href: RESEND_BASE_URL }] : []),
  ];
}
