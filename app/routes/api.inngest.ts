import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { serve } from "inngest/remix";
import { netlifyDeploy } from "~/deploy.server";
import { env, EnvError } from "~/env.server";
import { inngest } from "~/inngest/client.server";
import { functions } from "~/inngest/index.server";

// Inngest calls this one route for sync (PUT), introspection (GET) and every step (POST). Outside the local stack
// the client is in cloud mode and `enableUnauthedSync: false` makes the SDK check the signature of every method,
// sync included, before doing anything: nobody without the signing key can re-point the app at another URL.
const handler = serve({
  client: inngest,
  functions,
  enableUnauthedSync: false,
  // Register the URL this deploy answers at (the preview's own URL for a preview), whatever Host a request carried.
  serveOrigin: netlifyDeploy?.url || undefined,
});

/** Refuses every request while the environment is invalid (e.g. INNGEST_DEV on a deployed function). */
async function guarded(args: LoaderFunctionArgs | ActionFunctionArgs): Promise<Response> {
  try {
    env();
  } catch (error) {
    if (!(error instanceof EnvError)) throw error;
    console.error(error.message);
    return Response.json({ message: "Server misconfigured" }, { status: 500 });
  }
  return handler(args);
}

export { guarded as action, guarded as loader };
