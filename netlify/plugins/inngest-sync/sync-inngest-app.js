/**
 * Which URL a deploy's Inngest functions are served at: the deploy's own URL for previews and branch deploys
 * (DEPLOY_PRIME_URL), the site's main URL for production (URL). netlify-plugin-inngest only ever syncs URL,
 * so previews would otherwise never reach their Inngest branch environment.
 * @param {Record<string, string | undefined>} env
 * @param {string} path
 */
export function inngestSyncUrl(env, path = "/api/inngest") {
  const origin = env.CONTEXT === "production" ? env.URL : env.DEPLOY_PRIME_URL || env.URL;
  if (!origin) return null;
  return new URL(path, origin).toString();
}

/**
 * Asks the deployed serve handler to register itself with Inngest (an out-of-band sync: the SDK signs the
 * registration with INNGEST_SIGNING_KEY and names the branch environment from Netlify's BRANCH itself).
 * @param {{ env: Record<string, string | undefined>, path?: string, fetchImpl?: typeof fetch }} options
 */
export async function syncInngestApp({ env, path, fetchImpl = fetch }) {
  const url = inngestSyncUrl(env, path);
  if (!url) return { ok: false, message: "No URL or DEPLOY_PRIME_URL in the build environment; nothing to sync." };
  try {
    const response = await fetchImpl(url, { method: "PUT" });
    const body = await response.text();
    if (!response.ok) return { ok: false, message: `PUT ${url} answered ${response.status}: ${body.slice(0, 300)}` };
    return { ok: true, message: `Synced Inngest functions at ${url} (${env.CONTEXT ?? "unknown"} context).` };
  } catch (error) {
    return { ok: false, message: `PUT ${url} failed: ${error instanceof Error ? error.message : String(error)}` };
  }
}
