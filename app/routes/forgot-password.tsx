import type { ActionFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useNavigation } from "@remix-run/react";
import { z } from "zod";
import { emailLinkTarget } from "~/auth/email-links.server";
import { supabaseForRequest } from "~/auth/supabase-session.server";
import { pageMeta } from "~/components/page-meta";
import { EmailField } from "~/components/text-field";
import { checkRateLimit, retryAfterHeaders } from "~/rate-limits/check-rate-limit.server";

export const meta: MetaFunction = () =>
  pageMeta("Forgot your password", "Get a link to choose a new password for your Stepwise account.");

const ForgotForm = z.object({ email: z.email({ error: "Enter a valid email address." }).max(254) });

/**
 * Mails a reset link. The answer is the same whether the address has an account or not, and whether Auth sent
 * a mail or held it back (one per address per `max_frequency`), so the page tells nobody who has an account.
 */
export async function action({ request }: ActionFunctionArgs) {
  const form = Object.fromEntries(await request.formData());
  const parsed = ForgotForm.safeParse(form);
  const email = typeof form.email === "string" ? form.email : "";
  if (!parsed.success) return Response.json({ error: parsed.error.issues[0]!.message, email }, { status: 400 });
  const limited = await checkRateLimit("reset", request, parsed.data.email);
  if (!limited.allowed)
    return Response.json({ error: limited.message, email }, { status: 429, headers: retryAfterHeaders(limited) });
  const { supabase } = supabaseForRequest(request);
  const { error } = await supabase.auth.resetPasswordForEmail(parsed.data.email, { redirectTo: emailLinkTarget() });
  if (error && error.code !== "over_email_send_rate_limit") throw error;
  return Response.json({ sentTo: parsed.data.email });
}

export default function ForgotPassword() {
  const result = useActionData<{ error?: string; email?: string; sentTo?: string }>();
  const busy = useNavigation().state === "submitting";
  return (
    <section className="card narrow">
      <h1>Forgot your password</h1>
      {result?.sentTo ? (
        <p role="status">
          If <strong>{result.sentTo}</strong> has a Stepwise account, a link to choose a new password is on its way. It
          works for an hour.
        </p>
      ) : (
        <Form method="post" noValidate>
          <EmailField error={result?.error} defaultValue={result?.email} />
          <p>
            <button type="submit" disabled={busy}>
              {busy ? "Sending…" : "Send me a link"}
            </button>
          </p>
        </Form>
      )}
      <p>
        Remembered it? <Link to="/login">Sign in</Link>
      </p>
    </section>
  );
}
