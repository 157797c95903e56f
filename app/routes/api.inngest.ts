import { serve } from "inngest/remix";
import { inngest } from "~/inngest/client.server";
import { functions } from "~/inngest/index.server";

// Inngest calls this one route for sync (PUT), introspection (GET) and every step (POST). In production
// the SDK verifies each request's signature with INNGEST_SIGNING_KEY before running anything.
const handler = serve({ client: inngest, functions });

export { handler as action, handler as loader };
