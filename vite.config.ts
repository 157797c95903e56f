import { vitePlugin as remix } from "@remix-run/dev";
import { netlifyPlugin } from "@netlify/remix-adapter/plugin";
import { defineConfig } from "vite";
import tsconfigPaths from "vite-tsconfig-paths";
import remixConfig from "./remix.config.js";
import { LOCAL_PORTS } from "./app/local-stack";
import { netlifyDeployFromBuildEnv } from "./netlify/deploy-facts.js";

declare module "@remix-run/node" {
  interface Future {
    v3_singleFetch: true;
  }
}

export default defineConfig({
  server: { port: LOCAL_PORTS.app, strictPort: true },
  plugins: [remix(remixConfig), netlifyPlugin(), tsconfigPaths()],
  // A Netlify function sees neither CONTEXT, BRANCH nor DEPLOY_PRIME_URL at runtime: the build bakes them in.
  define: { __NETLIFY_DEPLOY__: JSON.stringify(netlifyDeployFromBuildEnv(process.env)) },
  // Server-only packages with native or WASM parts stay out of the SSR bundle and load from node_modules.
  ssr: { external: ["postgres", "unpdf", "ws"] },
});
