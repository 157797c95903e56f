import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useNavigation, useSearchParams } from "@remix-run/react";
import { fieldErrorFor } from "~/auth/auth-errors";
import { getUser } from "~/auth/require-user.server";
import { safeRedirect } from "~/auth/safe-redirect";
import { checkRateLimit, retryAfterHeaders } from "~/rate-limits/check-rate-limit.server";
import { supabaseForRequest } from "~/auth/supabase-session.server";
import { TextField } from "~/components/text-field";

export const meta: MetaFunction = () => [{ title: "Sign in · Stepwise" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await getUser(request);
  return user ? redirect(safeRedirect(new URL(request.url).searchParams.get("redirectTo"))) : null;
}

export async function action({ request }: ActionFunctionArgs) {
  const form = await request.formData();
  const email = String(form.get("email") ?? "");
  const password = String(form.get("password") ?? "");
  if (!email || !password) return Response.json({ error: "Enter your email and password.", email }, { status: 400 });
  const limited = await checkRateLimit("sign-in", request, email);
  if (!limited.allowed)
    return Response.json({ error: limited.message, email }, { status: 429, headers: retryAfterHeaders(limited) });
  const { supabase, headers } = supabaseForRequest(request);
  const { error } = await supabase.auth.signInWithPassword({ email, password });
  if (error) return Response.json({ error: fieldErrorFor(error.code, error.message).message, email }, { status: 400 });
  return redirect(safeRedirect(form.get("redirectTo")), { headers });
}

export default function Login() {
  const result = useActionData<{ error: string; email: string }>();
  const [params] = useSearchParams();
  const busy = useNavigation().state === "submitting";
  return (
    <section className="card narrow">
      <h1>Sign in</h1>
      <Form method="post">
        <input type="hidden" name="redirectTo" value={params.get("redirectTo") ?? "/shop"} />
        <TextField name="email" label="Email" type="email" autoComplete="email" required defaultValue={result?.email} />
        <TextField name="password" label="Password" type="password" autoComplete="current-password" required />
        {result?.error ? (
          <p className="form-error" role="alert">
            {result.error}
          </p>
        ) : null}
        <p>
          <button type="submit" disabled={busy}>
            {busy ? "Signing in…" : "Sign in"}
          </button>
        </p>
      </Form>
      <p>
        New here? <Link to="/signup">Create an account</Link>
      </p>
    </section>
  );
}
