// The Remix options, in one place. Remix's Vite plugin does not read this file by itself:
// vite.config.ts imports it and passes it to `vitePlugin(...)`, so editing it changes the build.
/** @type {import("@remix-run/dev").VitePluginConfig} */
export default {
  appDirectory: "app",
  buildDirectory: "build",
  ignoredRouteFiles: ["**/*.test.*", "**/.*"],
  future: {
    v3_fetcherPersist: true,
    v3_relativeSplatPath: true,
    v3_throwAbortReason: true,
    v3_singleFetch: true,
  },
};
