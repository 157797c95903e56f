import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { requireUser } from "~/auth/require-user.server";
import { supabaseForRequest } from "~/auth/supabase-session.server";
import { withUser } from "~/db.server";
import { AccountDeletionError, deleteAccount } from "~/users/delete-account.server";

export const meta: MetaFunction = () => [{ title: "Settings · Stepwise" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
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
    await withUser(
      user.claims,
      (tx) => tx`update profiles set digest_opt_in = ${form.get("digest") === "on"},
      tips_opt_in = ${form.get("tips") === "on"}, updated_at = now() where id = ${user.claims.sub}`,
    );
    return Response.json({ saved: true }, { headers: user.headers });
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
    return redirect("/?deleted=1", { headers });
  }
  return Response.json({ error: "Unknown action" }, { status: 400 });
}

export default function Settings() {
  const { profile, email } = useLoaderData<{
    profile: { digest_opt_in: boolean; tips_opt_in: boolean };
    email: string;
  }>();
  const result = useActionData<{ saved?: boolean; deleteError?: string }>();
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
          <button type="submit" disabled={busy}>
            Save
          </button>
          {result?.saved ? <span role="status"> Saved.</span> : null}
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

/** What optional mail the user gets now, in one sentence, so the state is plain without reading checkboxes. */
function optionalMailSummary(profile: { digest_opt_in: boolean; tips_opt_in: boolean }): string {
  const on = [profile.digest_opt_in && "the daily digest", profile.tips_opt_in && "getting-started tips"].filter(
    Boolean,
  );
  return on.length > 0 ? `You get ${on.join(" and ")}.` : "You get no optional email.";
}
