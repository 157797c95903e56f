import { Inngest } from "inngest";

/**
 * The one Inngest client. Mode and keys come from the environment the SDK reads itself: INNGEST_DEV points
 * it at the local executor; INNGEST_SIGNING_KEY / INNGEST_EVENT_KEY in production. On Netlify the SDK also
 * reads BRANCH/CONTEXT and syncs deploy previews to their Inngest branch environment.
 */
export const inngest = new Inngest({
  id: "stepwise",
  // Each step is one request to a Netlify function, which stops at 60 s; keep a checkpointed run well
  // inside that before it hands back to Inngest.
  checkpointing: { maxRuntime: "40s" },
});
