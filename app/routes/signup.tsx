import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useNavigation } from "@remix-run/react";
import { z } from "zod";
import { fieldErrorFor } from "~/auth/auth-errors";
import { getUser } from "~/auth/require-user.server";
import { supabaseForRequest } from "~/auth/supabase-session.server";
import { TextField } from "~/components/text-field";
import { relayEvents } from "~/outbox/relay-events.server";
import { checkRateLimit, retryAfterHeaders } from "~/rate-limits/check-rate-limit.server";

export const meta: MetaFunction = () => [{ title: "Create your account · Stepwise" }];

const SignupForm = z.object({
  name: z.string().trim().min(1, "Tell us your name").max(100),
  email: z.email({ error: "Enter a valid email address." }),
  password: z.string().min(8, "Use at least 8 characters."),
});

type Errors = Partial<Record<"name" | "email" | "password" | "form", string>>;

export async function loader({ request }: LoaderFunctionArgs) {
  return (await getUser(request)) ? redirect("/shop") : null;
}

export async function action({ request }: ActionFunctionArgs) {
  const form = Object.fromEntries(await request.formData());
  const parsed = SignupForm.safeParse(form);
  if (!parsed.success) {
    const errors: Errors = {};
    for (const issue of parsed.error.issues) errors[issue.path[0] as keyof Errors] ??= issue.message;
    return Response.json({ errors, values: { name: form.name, email: form.email } }, { status: 400 });
  }
  const limited = await checkRateLimit("sign-up", request, parsed.data.email);
  if (!limited.allowed) {
    return Response.json(
      { errors: { form: limited.message }, values: { name: form.name, email: form.email } },
      { status: 429, headers: retryAfterHeaders(limited) },
    );
  }
  const { supabase, headers } = supabaseForRequest(request);
  const { data, error } = await supabase.auth.signUp({
    email: parsed.data.email,
    password: parsed.data.password,
    options: { data: { full_name: parsed.data.name } },
  });
  if (error || !data.user) {
    const { field, message } = fieldErrorFor(error?.code, error?.message ?? "");
    return Response.json(
      { errors: { [field]: message }, values: { name: form.name, email: form.email } },
      { status: error?.status ?? 400 },
    );
  }
  // The database wrote `user/signed.up` to the outbox with the confirmed user (see the outbox migration).
  await relayEvents([`signed-up-${data.user.id}`]);
  return redirect("/shop?welcome=1", { headers });
}

export default function Signup() {
  const result = useActionData<{ errors: Errors; values: { name?: string; email?: string } }>();
  const busy = useNavigation().state === "submitting";
  return (
    <section className="card narrow">
      <h1>Create your account</h1>
      <Form method="post" noValidate>
        <TextField
          name="name"
          label="Name"
          autoComplete="name"
          required
          error={result?.errors.name}
          defaultValue={result?.values.name}
        />
        <TextField
          name="email"
          label="Email"
          type="email"
          autoComplete="email"
          required
          error={result?.errors.email}
          defaultValue={result?.values.email}
        />
        <TextField
          name="password"
          label="Password (8+ characters)"
          type="password"
          autoComplete="new-password"
          required
          minLength={8}
          error={result?.errors.password}
        />
        {result?.errors.form ? (
          <p className="form-error" role="alert">
            {result.errors.form}
          </p>
        ) : null}
        <p>
          <button type="submit" disabled={busy}>
            {busy ? "Creating your account…" : "Create account"}
          </button>
        </p>
      </Form>
      <p>
        Already have an account? <Link to="/login">Sign in</Link>
      </p>
    </section>
  );
}
