import path from "node:path";

// Who may import whom, as zones of import-x's no-restricted-paths: a file under `target` may not import a file
// `from` (unless it is one of the `except`ions). Lint fails on a crossing; tests/lint/boundaries.test.ts proves
// each zone bites. Why the rooms are drawn this way: docs/decisions/0013-rooms-and-boundaries.md.

const ROOT = path.resolve(import.meta.dirname, "..");
const at = (...parts) => path.join(ROOT, ...parts);

/** @type {Array<{ target: string | string[]; from: string | string[]; except?: string[]; message: string }>} */
export const boundaryZones = [
  {
    target: at("app"),
    from: [at("local"), at("harness"), at("tests"), at("bench"), at("tools"), at("scripts")],
    message:
      "The app runs in production and never imports the local stack, the harness, tests or tools; what both sides need goes in contracts/.",
  },
  {
    target: at("contracts"),
    from: [at("app"), at("local"), at("harness"), at("tests"), at("bench")],
    message: "contracts/ is the neutral ground app/ and local/ share: it imports neither.",
  },
  {
    target: at("local/**/!(dev).*"),
    from: at("app/**/*"),
    message:
      "local/ is an offline stand-in for the vendors' services and owns its code (SQL helpers included); from app/ it may name only contracts/.",
  },
  {
    // The one exception: `npm run dev` runs the app, so it asks the app's own parser whether the env is valid
    // before it starts anything.
    target: at("local/dev.ts"),
    from: at("app"),
    except: ["env.server.ts"],
    message: "local/dev.ts may ask the app only whether its env is valid (app/env.server.ts).",
  },
  {
    target: at("local"),
    from: [at("harness"), at("tests"), at("bench")],
    message: "local/ stands on its own; the harness, tests and benchmarks import it, never the reverse.",
  },
  {
    target: at("app/inngest/functions"),
    from: [at("app/**/*")],
    except: [at("app/**/*.server.ts"), at("app/emails/**/*")],
    message:
      "An Inngest function imports only the client, its events, *.server.ts modules and email templates (app/emails/).",
  },
  {
    target: [at("bench"), at("harness")],
    from: at("tests"),
    message: "What bench/ and tests/ share lives in harness/; nothing imports tests/.",
  },
];
