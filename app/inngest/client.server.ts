import { Inngest } from "inngest";
import { isLocalStack, netlifyDeploy } from "~/deploy.server";

const localStack = isLocalStack();

/**
 * The one Inngest client. Under the local launcher the SDK reads INNGEST_DEV itself and talks to the local executor.
 * Everywhere else it is pinned to cloud mode, so every request to /api/inngest must carry Inngest's signature
 * whatever INNGEST_DEV says (env.server.ts refuses that variable there too). A Netlify function cannot see BRANCH
 * or CONTEXT at runtime, so the SDK could not name a branch environment by itself: the build captures the deploy
 * (netlify/deploy-facts.js) and a preview or branch deploy registers and sends events in the Inngest branch
 * environment named after its git branch; production uses the production environment.
 */
export const inngest = new Inngest({
  id: "stepwise",
  isDev: localStack ? undefined : false,
  env: localStack ? undefined : process.env.INNGEST_ENV || netlifyDeploy?.inngestEnv || undefined,
  // Each step is one request to a synchronous Netlify function, which Netlify stops at 60 s; a checkpointed run
  // hands back to Inngest well inside that.
  checkpointing: { maxRuntime: "40s" },
});
