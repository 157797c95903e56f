import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useNavigation, useSearchParams } from "@remix-run/react";
import { fieldErrorFor } from "~/auth/auth-errors";
import { emailLinkTarget } from "~/auth/email-links.server";
import { getUser } from "~/auth/require-user.server";
import { safeRedirect } from "~/auth/safe-redirect";
import { checkRateLimit, retryAfterHeaders } from "~/rate-limits/check-rate-limit.server";
import { supabaseForRequest } from "~/auth/supabase-session.server";
import { EmailField, TextField } from "~/components/text-field";
import { pageMeta } from "~/components/page-meta";
import { FormError } from "~/components/form-error";

export const meta: MetaFunction = () =>
  pageMeta("Sign in", "Sign in to Stepwise to see your orders, documents and billing.");

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await getUser(request, context);
  return user ? redirect(safeRedirect(new URL(request.url).searchParams.get("redirectTo"))) : null;
}

export async function action({ request }: ActionFunctionArgs) {
  const form = await request.formData();
  const email = String(form.get("email") ?? "");
  const password = String(form.get("password") ?? "");
  if (form.get("intent") === "resend-confirmation") return resendConfirmation(request, email);
  if (!email || !password) return Response.json({ error: "Enter your email and password.", email }, { status: 400 });
  const limited = await checkRateLimit("sign-in", request, email);
  if (!limited.allowed)
    return Response.json({ error: limited.message, email }, { status: 429, headers: retryAfterHeaders(limited) });
  const { supabase, headers } = supabaseForRequest(request);
  const { error } = await supabase.auth.signInWithPassword({ email, password });
  if (error?.code === "email_not_confirmed") {
    return Response.json(
      { error: `Confirm your email address first: follow the link we sent to ${email}.`, email, unconfirmed: true },
      { status: 400 },
    );
  }
  if (error) return Response.json({ error: fieldErrorFor(error.code, error.message).message, email }, { status: 400 });
  return redirect(safeRedirect(form.get("redirectTo")), { headers });
}

/** Sends the confirmation link again; the answer is the same for any address, with an account or without. */
async function resendConfirmation(request: Request, email: string) {
  if (!EMAIL.test(email) || email.length > 254)
    return Response.json({ error: "Enter a valid email address.", email }, { status: 400 });
  const limited = await checkRateLimit("sign-up", request, email);
  if (!limited.allowed)
    return Response.json({ error: limited.message, email }, { status: 429, headers: retryAfterHeaders(limited) });
  const { supabase } = supabaseForRequest(request);
  const { error } = await supabase.auth.resend({
    type: "signup",
    email,
    options: { emailRedirectTo: emailLinkTarget() },
  });
  if (error && error.code !== "over_email_send_rate_limit") throw error;
  return Response.json({ resent: email, email });
}

const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;

export default function Login() {
  const result = useActionData<{ error?: string; email: string; unconfirmed?: boolean; resent?: string }>();
  const [params] = useSearchParams();
  const busy = useNavigation().state === "submitting";
  return (
    <section className="card narrow">
      <h1>Sign in</h1>
      <Form method="post">
        <input type="hidden" name="redirectTo" value={params.get("redirectTo") ?? "/shop"} />
        <EmailField defaultValue={result?.email} />
        <TextField name="password" label="Password" type="password" autoComplete="current-password" required />
        <FormError message={result?.error} />
        {result?.resent ? (
          <p role="status">If {result.resent} is waiting to be confirmed, a new link is on its way.</p>
        ) : null}
        <p>
          <button type="submit" disabled={busy}>
            {busy ? "Signing in…" : "Sign in"}
          </button>
        </p>
      </Form>
      {result?.unconfirmed ? (
        <Form method="post">
          <input type="hidden" name="intent" value="resend-confirmation" />
          <input type="hidden" name="email" value={result.email} />
          <button type="submit" className="secondary" disabled={busy}>
            Send the link again
          </button>
        </Form>
      ) : null}
      <p>
        <Link to="/forgot-password">Forgot your password?</Link>
      </p>
      <p>
        New here? <Link to="/signup">Create an account</Link>
      </p>
    </section>
  );
}
