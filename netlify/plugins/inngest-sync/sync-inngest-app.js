import { createHmac } from "node:crypto";
import { netlifyDeployFromBuildEnv } from "../../deploy-facts.js";

/**
 * Where a deploy's Inngest functions are served: the site's main URL for production, the deploy's own URL
 * (DEPLOY_PRIME_URL) for previews and branch deploys. netlify-plugin-inngest only ever syncs URL, so previews
 * would otherwise never reach their Inngest branch environment.
 * @param {Record<string, string | undefined>} env the build environment
 * @param {string} path
 */
export function inngestSyncUrl(env, path = "/api/inngest") {
  const deploy = netlifyDeployFromBuildEnv(env);
  if (!deploy?.url) return null;
  return new URL(path, deploy.url).toString();
}

/**
 * Inngest's request signature over a body, as the SDK checks it: HMAC-SHA256 keyed with the signing key without its
 * `signkey-<env>-` prefix, over the body followed by the unix time, sent as `t=<time>&s=<hex>`.
 * @param {string} body
 * @param {string} signingKey
 * @param {number} unixSeconds
 */
export function inngestSignature(body, signingKey, unixSeconds) {
  const key = signingKey.replace(/^signkey-\w+-/, "");
  const mac = createHmac("sha256", key).update(`${body}${unixSeconds}`).digest("hex");
  return `t=${unixSeconds}&s=${mac}`;
}

/**
 * Asks the deployed serve handler to register itself with Inngest (an out-of-band sync). The route refuses unsigned
 * syncs, so the PUT is signed with the deploy context's INNGEST_SIGNING_KEY (it must have the Builds scope as well as
 * Functions). The function then registers its own URL into the Inngest environment its build captured: production,
 * or the branch environment named after the git branch.
 * @param {{ env: Record<string, string | undefined>, path?: string, fetchImpl?: typeof fetch, now?: () => number }} options
 */
export async function syncInngestApp({ env, path, fetchImpl = fetch, now = Date.now }) {
  const deploy = netlifyDeployFromBuildEnv(env);
  const url = inngestSyncUrl(env, path);
  if (!deploy || !url)
    return { ok: false, message: "Not a Netlify build (no CONTEXT, URL or DEPLOY_PRIME_URL); nothing to sync." };
  if (!env.INNGEST_SIGNING_KEY)
    return {
      ok: false,
      message: `INNGEST_SIGNING_KEY is not in the build environment for ${deploy.context}; give it the Builds scope.`,
    };
  const where = deploy.inngestEnv ? `Inngest branch environment "${deploy.inngestEnv}"` : "Inngest production";
  try {
    const signature = inngestSignature("", env.INNGEST_SIGNING_KEY, Math.floor(now() / 1000));
    const response = await fetchImpl(url, { method: "PUT", headers: { "x-inngest-signature": signature } });
    const body = await response.text();
    if (!response.ok) return { ok: false, message: `PUT ${url} answered ${response.status}: ${body.slice(0, 300)}` };
    return { ok: true, message: `Synced ${url} into ${where} (${deploy.context} deploy).` };
  } catch (error) {
    return { ok: false, message: `PUT ${url} failed: ${error instanceof Error ? error.message : String(error)}` };
  }
}
