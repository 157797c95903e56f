import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useNavigation } from "@remix-run/react";
import { z } from "zod";
import { fieldErrorFor } from "~/auth/auth-errors";
import { passwordProblem } from "~/auth/password-rules";
import { hasUnprintable, UNPRINTABLE_MESSAGE } from "~/forms/printable-text";
import { emailLinkTarget } from "~/auth/email-links.server";
import { getUser } from "~/auth/require-user.server";
import { supabaseForRequest } from "~/auth/supabase-session.server";
import { EmailField, TextField } from "~/components/text-field";
import { relayEvents } from "~/outbox/relay-events.server";
import { checkRateLimit, retryAfterHeaders } from "~/rate-limits/check-rate-limit.server";
import { pageMeta } from "~/components/page-meta";
import { FormError } from "~/components/form-error";

export const meta: MetaFunction = () =>
  pageMeta("Create your account", "Create a Stepwise account: a welcome email, a shop, document search and billing.");

const SignupForm = z.object({
  name: z
    .string()
    .trim()
    .min(1, "Tell us your name")
    .max(100, "Use at most 100 characters.")
    .refine((name) => !hasUnprintable(name), UNPRINTABLE_MESSAGE),
  email: z.email({ error: "Enter a valid email address." }),
  password: z.string().superRefine((password, context) => {
    const problem = passwordProblem(password);
    if (problem) context.addIssue({ code: "custom", message: problem });
  }),
});

type Errors = Partial<Record<"name" | "email" | "password" | "form", string>>;

export async function loader({ request, context }: LoaderFunctionArgs) {
  return (await getUser(request, context)) ? redirect("/shop") : null;
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
    options: { data: { full_name: parsed.data.name }, emailRedirectTo: emailLinkTarget() },
  });
  if (error?.code === "over_email_send_rate_limit") {
    return Response.json(
      {
        errors: { form: "We cannot send more email just now. Try again in a few minutes." },
        values: { name: form.name, email: form.email },
      },
      { status: 429 },
    );
  }
  if (error || !data.user) {
    const { field, message } = fieldErrorFor(error?.code, error?.message ?? "");
    return Response.json(
      { errors: { [field]: message }, values: { name: form.name, email: form.email } },
      { status: error?.status ?? 400 },
    );
  }
  if (!data.session) {
    // Confirmations are on: the address gets a link, and nothing else until it is followed. The answer is the
    // same whether the address is new or already has an account (Auth then sends nothing and says nothing).
    return Response.json({ sentTo: parsed.data.email });
  }
  // Without confirmations the database wrote `user/signed.up` to the outbox at once (see the outbox migration).
  await relayEvents([`signed-up-${data.user.id}`]);
  return redirect("/shop?welcome=1", { headers });
}

export default function Signup() {
  const result = useActionData<{ errors?: Errors; values?: { name?: string; email?: string }; sentTo?: string }>();
  const busy = useNavigation().state === "submitting";
  if (result?.sentTo) return <CheckYourInbox address={result.sentTo} />;
  return (
    <section className="card narrow">
      <h1>Create your account</h1>
      <Form method="post" noValidate>
        <TextField
          name="name"
          label="Name"
          autoComplete="name"
          required
          error={result?.errors?.name}
          defaultValue={result?.values?.name}
        />
        <EmailField error={result?.errors?.email} defaultValue={result?.values?.email} />
        <TextField
          name="password"
          label="Password (8+ characters)"
          type="password"
          autoComplete="new-password"
          required
          minLength={8}
          error={result?.errors?.password}
        />
        <FormError message={result?.errors?.form} />
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

function CheckYourInbox({ address }: { address: string }) {
  return (
    <section className="card narrow">
      <h1>Check your inbox</h1>
      <p role="status">
        We sent a link to <strong>{address}</strong>. Follow it to confirm the address and finish creating your account;
        it works for an hour.
      </p>
      <p>
        Nothing arrived? Check the spam folder, or <Link to="/login">sign in</Link> to have the link sent again.
      </p>
    </section>
  );
}
