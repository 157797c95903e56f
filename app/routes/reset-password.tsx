import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useActionData, useNavigation } from "@remix-run/react";
import { requireUser } from "~/auth/require-user.server";
import { supabaseForRequest } from "~/auth/supabase-session.server";
import { pageMeta } from "~/components/page-meta";
import { TextField } from "~/components/text-field";
import { redirectWithFlash } from "~/flash.server";
import { passwordChangeError } from "~/auth/change-password.server";

export const meta: MetaFunction = () => pageMeta("Choose a new password", "Set a new password for your account.");

// Reached from a reset link, which /auth/confirm has already turned into a session.
export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  return Response.json({ email: user.email }, { headers: user.headers });
}

export async function action({ request }: ActionFunctionArgs) {
  await requireUser(request);
  const form = await request.formData();
  const { supabase, headers } = supabaseForRequest(request);
  const problem = await passwordChangeError(supabase, form.get("password"));
  if (problem) return Response.json({ error: problem.message }, { status: problem.status });
  return redirectWithFlash("/shop", "Your password is changed, and every other device is signed out.", headers);
}

export default function ResetPassword() {
  const result = useActionData<{ error?: string }>();
  const busy = useNavigation().state === "submitting";
  return (
    <section className="card narrow">
      <h1>Choose a new password</h1>
      <Form method="post" noValidate>
        <TextField
          name="password"
          label="New password (8+ characters)"
          type="password"
          autoComplete="new-password"
          required
          minLength={8}
          error={result?.error}
        />
        <p>
          <button type="submit" disabled={busy}>
            {busy ? "Saving…" : "Save the new password"}
          </button>
        </p>
      </Form>
    </section>
  );
}
