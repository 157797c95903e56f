import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { z } from "zod";
import { passwordChangeError } from "~/auth/change-password.server";
import { emailLinkTarget } from "~/auth/email-links.server";
import { requireUser, type SignedInUser } from "~/auth/require-user.server";
import { supabaseForRequest } from "~/auth/supabase-session.server";
import { withUser } from "~/db.server";
import { redirectWithFlash } from "~/flash.server";
import { checkRateLimit, retryAfterHeaders } from "~/rate-limits/check-rate-limit.server";
import { AccountDeletionError, deleteAccount } from "~/users/delete-account.server";
import { pageMeta } from "~/components/page-meta";
import { TextField, type TextFieldProps } from "~/components/text-field";
import { FormError } from "~/components/form-error";

export const meta: MetaFunction = () =>
  pageMeta(
    "Settings",
    "Choose the emails Stepwise sends you, change your address or password, or delete your account.",
  );

const NewEmail = z.email({ error: "Enter a valid email address." }).max(254, "Enter a valid email address.");

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  const [profile] = await withUser(
    user.claims,
    (tx) => tx<{ digest_opt_in: boolean; tips_opt_in: boolean }[]>`
    select digest_opt_in, tips_opt_in from profiles`,
  );
  return Response.json({ profile, email: user.email }, { headers: user.headers });
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const form = await request.formData();
  if (form.get("intent") === "preferences") {
    // A ticked box sends "on" and an unticked one nothing; anything else came from somewhere else.
    const boxes = ["digest", "tips"].map((name) => form.get(name));
    if (boxes.some((value) => value !== null && value !== "on"))
      return Response.json({ preferencesError: "Tick or untick the boxes and save again." }, { status: 400 });
    await withUser(
      user.claims,
      (tx) => tx`update profiles set digest_opt_in = ${form.get("digest") === "on"},
      tips_opt_in = ${form.get("tips") === "on"}, updated_at = now() where id = ${user.claims.sub}`,
    );
    return redirectWithFlash("/settings", "Settings saved.", user.headers);
  }
  if (form.get("intent") === "change-email") return changeEmail(request, user, form.get("email"));
  if (form.get("intent") === "change-password") {
    const { supabase, headers } = supabaseForRequest(request);
    const problem = await passwordChangeError(supabase, form.get("password"));
    if (problem)
      return Response.json({ passwordError: problem.message }, { status: problem.status, headers: user.headers });
    return redirectWithFlash("/settings", "Password changed. Every other device is signed out.", headers);
  }
  if (form.get("intent") === "sign-out-everywhere") {
    const { supabase, headers } = supabaseForRequest(request);
    const { error } = await supabase.auth.signOut({ scope: "global" });
    if (error) throw error;
    return redirectWithFlash("/login", "Signed out on every device.", headers);
  }
  if (form.get("intent") === "delete-account") {
    if (form.get("confirm") !== user.email)
      return Response.json({ deleteError: "Type your email address to confirm." }, { status: 400 });
    try {
      await deleteAccount(user.claims.sub);
    } catch (error) {
      if (!(error instanceof AccountDeletionError)) throw error;
      console.warn(error.message);
      return Response.json(
        { deleteError: "We could not delete your account just now. Nothing is lost; please try again in a minute." },
        { status: 503, headers: user.headers },
      );
    }
    const { supabase, headers } = supabaseForRequest(request);
    await supabase.auth.signOut({ scope: "local" }).catch(() => undefined);
    return redirectWithFlash("/", "Your account and everything in it are deleted.", headers);
  }
  return Response.json({ error: "Unknown action" }, { status: 400 });
}

/** Asks Auth to move the account to a new address, confirmed by a link to it and one to the current address. */
async function changeEmail(request: Request, user: SignedInUser, given: FormDataEntryValue | null) {
  const parsed = NewEmail.safeParse(given);
  if (!parsed.success) return Response.json({ emailError: parsed.error.issues[0]!.message }, { status: 400 });
  if (parsed.data.toLowerCase() === user.email.toLowerCase())
    return Response.json({ emailError: "That is already your address." }, { status: 400 });
  const limited = await checkRateLimit("change-email", request, user.claims.sub);
  if (!limited.allowed)
    return Response.json({ emailError: limited.message }, { status: 429, headers: retryAfterHeaders(limited) });
  const { supabase, headers } = supabaseForRequest(request);
  const { error } = await supabase.auth.updateUser({ email: parsed.data }, { emailRedirectTo: emailLinkTarget() });
  if (error?.code === "email_exists")
    return Response.json({ emailError: "Another account uses that address." }, { status: 400 });
  if (error?.code === "over_email_send_rate_limit")
    return Response.json({ emailError: "We sent a link a moment ago. Try again in a minute." }, { status: 429 });
  if (error?.code === "validation_failed" || error?.code === "email_address_invalid")
    return Response.json({ emailError: "Enter a valid email address." }, { status: 400 });
  if (error) throw error;
  return redirectWithFlash(
    "/settings",
    `We sent a link to ${parsed.data} and one to ${user.email}. Your address changes once both are followed.`,
    headers,
  );
}

export default function Settings() {
  const { profile, email } = useLoaderData<{
    profile: { digest_opt_in: boolean; tips_opt_in: boolean };
    email: string;
  }>();
  const result = useActionData<{
    deleteError?: string;
    emailError?: string;
    passwordError?: string;
    preferencesError?: string;
  }>();
  const busy = useNavigation().state !== "idle";
  return (
    <>
      <h1>Settings</h1>
      <section className="card narrow">
        <h2>Email</h2>
        <p>{optionalMailSummary(profile)}</p>
        <Form method="post">
          <input type="hidden" name="intent" value="preferences" />
          <p className="checkbox-row">
            <input type="checkbox" id="digest" name="digest" defaultChecked={profile.digest_opt_in} />{" "}
            <label htmlFor="digest">Daily digest at 09:00 UTC</label>
          </p>
          <p className="checkbox-row">
            <input type="checkbox" id="tips" name="tips" defaultChecked={profile.tips_opt_in} />{" "}
            <label htmlFor="tips">Getting-started tips</label>
          </p>
          <FormError message={result?.preferencesError} />
          <button type="submit" disabled={busy}>
            Save
          </button>
        </Form>
      </section>
      <section className="card narrow">
        <h2>Email address</h2>
        <p>Your address is {email}.</p>
        <OneFieldForm
          intent="change-email"
          submitLabel="Change address"
          busy={busy}
          name="email"
          label="New email address"
          type="email"
          autoComplete="email"
          error={result?.emailError}
        />
      </section>
      <section className="card narrow">
        <h2>Password</h2>
        <OneFieldForm
          intent="change-password"
          submitLabel="Change password"
          busy={busy}
          name="password"
          label="New password (8+ characters)"
          type="password"
          autoComplete="new-password"
          minLength={8}
          error={result?.passwordError}
        />
      </section>
      <section className="card narrow">
        <h2>Devices</h2>
        <p>Signed in somewhere you should not be? This ends every session, this one too.</p>
        <Form method="post">
          <input type="hidden" name="intent" value="sign-out-everywhere" />
          <button type="submit" className="secondary" disabled={busy}>
            Sign out everywhere
          </button>
        </Form>
      </section>
      <section className="card narrow">
        <h2>Delete account</h2>
        <p>This deletes your account, orders and documents. It cannot be undone.</p>
        <Form method="post">
          <input type="hidden" name="intent" value="delete-account" />
          <label htmlFor="confirm">Type {email} to confirm</label>
          <input id="confirm" name="confirm" autoComplete="off" aria-invalid={result?.deleteError ? true : undefined} />
          {result?.deleteError ? (
            <p className="field-error" role="alert">
              {result.deleteError}
            </p>
          ) : null}
          <p>
            <button type="submit" className="danger" disabled={busy}>
              Delete my account
            </button>
          </p>
        </Form>
      </section>
    </>
  );
}

/** A form that changes one account detail: its field, its error, and the button that sends it. */
function OneFieldForm({
  intent,
  submitLabel,
  busy,
  ...field
}: TextFieldProps & { intent: string; submitLabel: string; busy: boolean }) {
  return (
    <Form method="post" noValidate>
      <input type="hidden" name="intent" value={intent} />
      <TextField {...field} />
      <button type="submit" disabled={busy}>
        {submitLabel}
      </button>
    </Form>
  );
}

/** What optional mail the user gets now, in one sentence, so the state is plain without reading checkboxes. */
function optionalMailSummary(profile: { digest_opt_in: boolean; tips_opt_in: boolean }): string {
  const on = [profile.digest_opt_in && "the daily digest", profile.tips_opt_in && "getting-started tips"].filter(
    Boolean,
  );
  return on.length > 0 ? `You get ${on.join(" and ")}.` : "You get no optional email.";
}
