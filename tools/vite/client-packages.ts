import path from "node:path";
import type { Plugin } from "vite";

/**
 * The packages the browser loads, and so the only ones Vite pre-bundles for it. Everything else in package.json
 * runs on the server (postgres, stripe, inngest, openai, ws, @remix-run/node, …) and must stay out of the
 * client's dependency graph.
 *
 * Listing them up front, with discovery off, is what keeps the first page after `npm run dev` from a cold cache
 * from reloading: Remix's dev server collects each page's CSS by walking the server module graph and resolving
 * every import it meets as a browser URL, so with discovery on Vite "finds" the server's packages, bundles them
 * for the browser and reloads the page it has just served, sometimes mid-hydration.
 */
export const CLIENT_PACKAGES = ["react", "react-dom", "@remix-run/react"] as const;

/** The entry points of CLIENT_PACKAGES the browser imports; each is pre-bundled when the dev server starts. */
export const CLIENT_DEPENDENCY_ENTRIES = [
  "react",
  "react/jsx-runtime",
  "react/jsx-dev-runtime",
  "react-dom/client",
  "@remix-run/react",
];

/** `@scope/name/sub` → `@scope/name`, `name/sub` → `name`; null for relative, absolute and virtual ids. */
export function packageName(specifier: string): string | null {
  if (/^[./\0]|^[a-z]+:/i.test(specifier) || specifier.startsWith("~/")) return null;
  const parts = specifier.split("/");
  return specifier.startsWith("@") ? parts.slice(0, 2).join("/") : parts[0]!;
}

/**
 * Fails the browser build (and the dev server's answer for that module) when app code would ship a package that
 * is not in CLIENT_PACKAGES, naming the module that imports it, instead of letting Vite bundle it quietly.
 */
export function clientPackagesOnly(appDirectory: string): Plugin {
  const appRoot = path.resolve(appDirectory) + path.sep;
  const allowed = new Set<string>(CLIENT_PACKAGES);
  return {
    name: "stepwise-client-packages-only",
    enforce: "pre",
    resolveId(id, importer, options) {
      // `scan` is set (untyped) while Vite's optimizer scans; Remix's .server check skips it the same way.
      const scanning = (options as { scan?: boolean } | undefined)?.scan;
      if (options?.ssr || scanning || !importer || !importer.startsWith(appRoot)) return null;
      const name = packageName(id);
      if (name === null || allowed.has(name)) return null;
      const from = path.relative(path.dirname(appRoot), importer.split("?")[0]!);
      this.error(
        `${from} imports "${id}" into the browser bundle, but ${name} is not a client package. ` +
          `If only a loader or action uses it, move that code into a .server.ts module; ` +
          `if the browser really needs it, add it to CLIENT_PACKAGES in tools/vite/client-packages.ts.`,
      );
    },
  };
}
