/**
 * What a Netlify build knows about its deploy that the deployed function cannot read: Netlify sets CONTEXT, HEAD,
 * BRANCH, DEPLOY_PRIME_URL and NETLIFY only in the build environment, and a function sees only the UI variables
 * with the Functions scope plus URL, SITE_NAME and SITE_ID. vite.config.ts inlines these facts into the server
 * bundle; the inngest-sync build plugin reads the same facts to know where to sync.
 *
 * @typedef {{ context: string, branch: string, url: string, inngestEnv: string | null }} NetlifyDeploy
 * @param {Record<string, string | undefined>} env the build environment
 * @returns {NetlifyDeploy | null} null for any build not run by Netlify (a developer's `npm run build`, CI)
 */
export function netlifyDeployFromBuildEnv(env) {
  if (env.NETLIFY !== "true" || !env.CONTEXT) return null;
  const production = env.CONTEXT === "production";
  // HEAD is the branch a deploy preview was opened from; BRANCH may name the pull request's ref instead.
  const branch = env.HEAD || env.BRANCH || "";
  // Production answers at the site's main URL; every other deploy at its own prime URL (branch or preview).
  const url = (production ? env.URL : env.DEPLOY_PRIME_URL) || "";
  return {
    context: env.CONTEXT,
    branch,
    url,
    // Production syncs into Inngest's production environment; every other deploy into a branch environment
    // named after its git branch (Inngest creates it on the first sync). INNGEST_ENV overrides both.
    inngestEnv: env.INNGEST_ENV || (production ? null : branch || null),
  };
}
