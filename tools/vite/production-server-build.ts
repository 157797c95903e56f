import type { Plugin } from "vite";

/**
 * The packages that choose between a development and a production build from `process.env.NODE_ENV` when they
 * load, and every package that imports React (so the server has exactly one copy of it).
 *
 * A Netlify function runs with no NODE_ENV at all (only the UI's variables plus URL, SITE_NAME and SITE_ID), so
 * left in node_modules these would load their development builds in production: React's server renderer with its
 * dev-only checks and warnings, and React Router's UMD development bundles. Bundled, the build decides instead.
 */
export const NODE_ENV_DEPENDENT_SERVER_PACKAGES = [
  /^react($|\/)/,
  /^react-dom($|\/)/,
  /^react-router($|-dom($|\/))/,
  /^@remix-run\/(react|router)($|\/)/,
  /^@react-email\//,
  /^scheduler($|\/)/,
];

/** In the server build only: bundles those packages and fixes NODE_ENV to "production" inside the bundle. */
export function productionServerBuild(): Plugin {
  return {
    name: "stepwise-production-server-build",
    config(_config, { command, isSsrBuild }) {
      if (command !== "build" || !isSsrBuild) return;
      return {
        define: { "process.env.NODE_ENV": JSON.stringify("production") },
        ssr: { noExternal: NODE_ENV_DEPENDENT_SERVER_PACKAGES },
      };
    },
  };
}
