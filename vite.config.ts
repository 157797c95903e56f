import { vitePlugin as remix } from "@remix-run/dev";
import { netlifyPlugin } from "@netlify/remix-adapter/plugin";
import { fileURLToPath } from "node:url";
import { defineConfig, type Plugin } from "vite";
import tsconfigPaths from "vite-tsconfig-paths";
import remixConfig from "./remix.config.js";
import { LOCAL_PORTS } from "./contracts/local-defaults";
import { CLIENT_DEPENDENCY_ENTRIES, clientPackagesOnly } from "./tools/vite/client-packages";
import { productionServerBuild } from "./tools/vite/production-server-build";
import { netlifyDeployFromBuildEnv } from "./netlify/deploy-facts.js";

declare module "@remix-run/node" {
  interface Future {
    v3_singleFetch: true;
  }
}

/**
 * Points the function @netlify/remix-adapter generates (its `virtual:netlify-server` module) at our handler, which
 * wraps the adapter's and adds the security headers to every response, resource routes included.
 */
function securityHeadersOnTheNetlifyFunction(): Plugin {
  return {
    name: "stepwise-security-headers-on-the-netlify-function",
    enforce: "pre",
    resolveId(source, importer) {
      if (source === "@netlify/remix-adapter" && importer === "\0virtual:netlify-server")
        return fileURLToPath(new URL("./app/netlify-handler.server.ts", import.meta.url));
    },
  };
}

export default defineConfig({
  server: { port: LOCAL_PORTS.app, strictPort: true },
  plugins: [
    clientPackagesOnly(remixConfig.appDirectory ?? "app"),
    remix(remixConfig),
    netlifyPlugin(),
    productionServerBuild(),
    securityHeadersOnTheNetlifyFunction(),
    tsconfigPaths(),
  ],
  // The browser's dependencies are known up front (see tools/vite/client-packages.ts): pre-bundled when the dev
  // server starts, never discovered while a page loads, so a first visit from a cold cache does not reload.
  optimizeDeps: { noDiscovery: true, include: CLIENT_DEPENDENCY_ENTRIES },
  // A Netlify function sees neither CONTEXT, BRANCH nor DEPLOY_PRIME_URL at runtime: the build bakes them in.
  define: { __NETLIFY_DEPLOY__: JSON.stringify(netlifyDeployFromBuildEnv(process.env)) },
  // Server-only packages with native or WASM parts stay out of the SSR bundle and load from node_modules.
  ssr: { external: ["postgres", "unpdf", "ws", "tesseract.js", "@napi-rs/canvas"] },
});
