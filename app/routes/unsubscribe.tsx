import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useLocation } from "@remix-run/react";
import { pageMeta } from "~/components/page-meta";
import { unsubscribe } from "~/email-preferences/unsubscribe.server";
import { MAILING_LISTS, verifyUnsubscribeLink } from "~/email-preferences/unsubscribe-link.server";

export const meta: MetaFunction = () =>
  pageMeta("Unsubscribe", "Stop a Stepwise email from the link in it, without signing in.");

const INVALID =
  "This unsubscribe link is not valid. Open the link from the email again, or change what you get in Settings.";

// Opening the link shows a button and changes nothing: mail scanners and link previews fetch links on their
// own. The button, and a mail client's RFC 8058 one-click POST to the same URL, stop the mail; neither needs
// the person to sign in, since the link's signature names the user and the list.
export async function loader({ request }: LoaderFunctionArgs) {
  const link = verifyUnsubscribeLink(new URL(request.url).searchParams);
  if (!link) return Response.json({ error: INVALID }, { status: 400 });
  return Response.json({ what: MAILING_LISTS[link.list].name });
}

export async function action({ request }: ActionFunctionArgs) {
  const link = verifyUnsubscribeLink(new URL(request.url).searchParams);
  if (!link) return Response.json({ error: INVALID }, { status: 400 });
  await unsubscribe(link.userId, link.list);
  return Response.json({ unsubscribed: true, what: MAILING_LISTS[link.list].name });
}

export default function Unsubscribe() {
  const page = useLoaderData<{ what?: string; error?: string }>();
  const done = useActionData<{ unsubscribed?: boolean; what?: string; error?: string }>();
  const { search } = useLocation();
  const error = done?.error ?? page.error;
  return (
    <section className="card narrow">
      <h1>Unsubscribe</h1>
      {error ? (
        <p className="field-error" role="alert">
          {error}
        </p>
      ) : done?.unsubscribed ? (
        <p role="status">
          Done: you will get no more of {done.what}. You can turn it back on in <Link to="/settings">Settings</Link>.
        </p>
      ) : (
        <Form method="post" action={`/unsubscribe${search}`}>
          <p>Stop {page.what}?</p>
          <button type="submit">Unsubscribe</button>
        </Form>
      )}
    </section>
  );
}
