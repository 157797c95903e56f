import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useLocation, useNavigation } from "@remix-run/react";
import { EMAIL_LINKS, isEmailLinkType, type EmailLinkType } from "~/auth/email-links.server";
import { supabaseForRequest } from "~/auth/supabase-session.server";
import { pageMeta } from "~/components/page-meta";
import { redirectWithFlash } from "~/flash.server";
import { relayEvents } from "~/outbox/relay-events.server";

export const meta: MetaFunction = () => pageMeta("Confirm", "Confirm a link Stepwise sent to your mailbox.");

const INVALID_LINK =
  "This link is not one Stepwise sent, or it was cut short. Open it from the email again, or ask for a new one.";
const USED_LINK =
  "This link has expired or has already been used. Sign in, or ask for a new link from the sign-in page.";

/** The link's token hash and kind, or null when the URL is not a link the templates make. */
function linkIn(request: Request): { tokenHash: string; type: EmailLinkType } | null {
  const params = new URL(request.url).searchParams;
  const tokenHash = params.get("token_hash") ?? "";
  const type = params.get("type");
  // GoTrue's token hashes: hex SHA-224, prefixed pkce_ for PKCE clients.
  if (!/^(pkce_)?[0-9a-f]{56}$/.test(tokenHash) || !isEmailLinkType(type)) return null;
  return { tokenHash, type };
}

// Opening the link shows a button and spends nothing: mail scanners and link previews fetch links on their own,
// and a token used by them would be gone when the person clicks. The button's POST verifies it.
export async function loader({ request }: LoaderFunctionArgs) {
  const link = linkIn(request);
  if (!link) return Response.json({ error: INVALID_LINK }, { status: 400 });
  const { title, button } = EMAIL_LINKS[link.type];
  return Response.json({ title, button });
}

export async function action({ request }: ActionFunctionArgs) {
  const link = linkIn(request);
  if (!link) return Response.json({ error: INVALID_LINK }, { status: 400 });
  const { supabase, headers } = supabaseForRequest(request);
  const { data, error } = await supabase.auth.verifyOtp({ token_hash: link.tokenHash, type: link.type });
  if (error) {
    if (error.status === 429)
      return Response.json(
        { error: "Too many attempts just now. Try the link again in a few minutes." },
        { status: 429 },
      );
    if (error.status === 403 || error.status === 400) return Response.json({ error: USED_LINK }, { status: 400 });
    throw error;
  }
  if (!data.session || !data.user) {
    // A change of address is confirmed from both mailboxes; this was the first of the two.
    return Response.json({
      message:
        "Confirmed from this mailbox. Now follow the link we sent to your other address: the change takes effect once both are confirmed.",
    });
  }
  switch (link.type) {
    case "email":
      // Confirming wrote `user/signed.up` to the outbox (see the outbox migration); deliver it now.
      await relayEvents([`signed-up-${data.user.id}`]);
      return redirect(EMAIL_LINKS.email.next, { headers });
    case "recovery":
      return redirect(EMAIL_LINKS.recovery.next, { headers });
    case "email_change":
      return redirectWithFlash(EMAIL_LINKS.email_change.next, `Your email address is now ${data.user.email}.`, headers);
  }
}

export default function ConfirmEmailLink() {
  const page = useLoaderData<{ title?: string; button?: string; error?: string }>();
  const done = useActionData<{ error?: string; message?: string }>();
  const { search } = useLocation();
  const busy = useNavigation().state !== "idle";
  const error = done?.error ?? page.error;
  return (
    <section className="card narrow">
      <h1>{page.title ?? "Email link"}</h1>
      {error ? (
        <>
          <p className="form-error" role="alert">
            {error}
          </p>
          <p>
            <Link to="/login">Sign in</Link> · <Link to="/forgot-password">Forgot your password?</Link>
          </p>
        </>
      ) : done?.message ? (
        <p role="status">{done.message}</p>
      ) : (
        <Form method="post" action={`/auth/confirm${search}`}>
          <button type="submit" disabled={busy}>
            {page.button}
          </button>
        </Form>
      )}
    </section>
  );
}
