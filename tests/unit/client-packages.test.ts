import path from "node:path";
import { describe, expect, it } from "vitest";
import { clientPackagesOnly, packageName } from "../../tools/vite/client-packages";

const APP = path.resolve("app");
const plugin = clientPackagesOnly("app");
type ResolveHook = (this: unknown, id: string, importer: string | undefined, options: object) => unknown;
const resolveId = plugin.resolveId as ResolveHook;
const context = {
  error(message: string): never {
    throw new Error(message);
  },
};

describe("the browser bundle takes only client packages", () => {
  it("names the module that would ship a server-only package to the browser, and says what to do", () => {
    expect(() => resolveId.call(context, "postgres", `${APP}/components/orders.tsx`, {})).toThrow(
      'app/components/orders.tsx imports "postgres" into the browser bundle, but postgres is not a client package. ' +
        "If only a loader or action uses it, move that code into a .server.ts module",
    );
    expect(() => resolveId.call(context, "inngest/remix", `${APP}/routes/api.tsx?import`, {})).toThrow(
      /inngest is not/,
    );
  });

  it("lets client packages, app modules and the server's own imports through", () => {
    for (const [id, options] of [
      ["react-dom/client", {}],
      ["@remix-run/react", {}],
      ["~/components/money", {}],
      ["./money", {}],
      ["postgres", { ssr: true }],
      ["postgres", { scan: true }],
    ] as const)
      expect(resolveId.call(context, id, `${APP}/root.tsx`, options)).toBeNull();
    // Remix's dev server resolves server imports as browser URLs when it collects CSS: no importer, no error.
    expect(resolveId.call(context, "stripe", undefined, {})).toBeNull();
    expect(resolveId.call(context, "stripe", path.resolve("node_modules/x/index.js"), {})).toBeNull();
  });

  it("reads the package name from a specifier", () => {
    expect(
      ["@supabase/ssr/dist/x", "ws", "inngest/remix", "node:fs", "virtual:remix/x", "/@id/x"].map(packageName),
    ).toEqual(["@supabase/ssr", "ws", "inngest", null, null, null]);
  });
});
