import type { NetlifyDeploy } from "../netlify/deploy-facts.js";

export type { NetlifyDeploy };

// Replaced by vite.config.ts at build time; absent when the modules run unbuilt (vitest, tsx).
declare const __NETLIFY_DEPLOY__: NetlifyDeploy | null | undefined;

/** The Netlify deploy this build was made for (context, branch, URL), or null when Netlify did not build it. */
export const netlifyDeploy: NetlifyDeploy | null =
  typeof __NETLIFY_DEPLOY__ === "undefined" ? null : __NETLIFY_DEPLOY__;

/** Whether the embedded local stack's defaults apply: only when the local launcher says so (see local/dev.ts). */
export function isLocalStack(source: Record<string, string | undefined> = process.env): boolean {
  return source.STEPWISE_LOCAL_STACK === "1";
}
