import { vitePlugin as remix } from "@remix-run/dev";
import { netlifyPlugin } from "@netlify/remix-adapter/plugin";
import { defineConfig } from "vite";
import tsconfigPaths from "vite-tsconfig-paths";
import remixConfig from "./remix.config.js";
import { LOCAL_PORTS } from "./contracts/local-defaults";

declare module "@remix-run/node" {
  interface Future {
    v3_singleFetch: true;
  }
}

export default defineConfig({
  server: { port: LOCAL_PORTS.app, strictPort: true },
  plugins: [remix(remixConfig), netlifyPlugin(), tsconfigPaths()],
  // Server-only packages with native or WASM parts stay out of the SSR bundle and load from node_modules.
  ssr: { external: ["postgres", "unpdf", "ws", "tesseract.js", "@napi-rs/canvas"] },
});
