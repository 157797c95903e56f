import { vitePlugin as remix } from "@remix-run/dev";
import { netlifyPlugin } from "@netlify/remix-adapter/plugin";
import { defineConfig } from "vite";
import tsconfigPaths from "vite-tsconfig-paths";
import remixConfig from "./remix.config.js";
import { LOCAL_PORTS } from "./contracts/local-defaults";
import { CLIENT_DEPENDENCY_ENTRIES, clientPackagesOnly } from "./tools/vite/client-packages";

declare module "@remix-run/node" {
  interface Future {
    v3_singleFetch: true;
  }
}

export default defineConfig({
  server: { port: LOCAL_PORTS.app, strictPort: true },
  plugins: [
    clientPackagesOnly(remixConfig.appDirectory ?? "app"),
    remix(remixConfig),
    netlifyPlugin(),
    tsconfigPaths(),
  ],
  // The browser's dependencies are known up front (see tools/vite/client-packages.ts): pre-bundled when the dev
  // server starts, never discovered while a page loads, so a first visit from a cold cache does not reload.
  optimizeDeps: { noDiscovery: true, include: CLIENT_DEPENDENCY_ENTRIES },
  // Server-only packages with native or WASM parts stay out of the SSR bundle and load from node_modules.
  ssr: { external: ["postgres", "unpdf", "ws"] },
});
