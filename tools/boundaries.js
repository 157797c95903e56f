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
    // The executor's durable state has one owner: everything else asks local/inngest/store/ (decision 0013).
    target: [at("local/inngest/*.ts"), at("local/inngest/!(store)/**/*")],
    // Wherever node_modules is (hoisted, linked), the drivers are recognised by their package directories.
    from: ["/**/node_modules/@electric-sql/pglite/**", "/**/node_modules/postgres/**"],
    message:
      "Only local/inngest/store/ talks to the executor's database (PGlite, postgres.js); ask a store function instead.",
  },
  {
    target: at("local/inngest/store"),
    from: at("local/inngest"),
    except: ["./store", "./types.ts"],
    message:
      "local/inngest/store/ is the executor's bottom layer: it imports only its own modules and types.ts, never the engine above it.",
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

// SQL outside the executor's store: a `.query(…)`/`.unsafe(…)` call, or a string that reads as a statement (lower case, as the store writes it).
const SQL_TEXT =
  "/^\\s*(select\\s[\\s\\S]*\\sfrom\\s|insert\\s+into\\s|update\\s+\\w+\\s+set\\s|delete\\s+from\\s|with\\s+\\w+\\s+as\\s*\\()/";
const SQL_MESSAGE =
  "SQL on the executor's tables lives only in local/inngest/store/: add or reuse a store function and call it.";

/** no-restricted-syntax entries for local/inngest outside store/ (eslint.config.js; tests/lint/boundaries.test.ts). */
export const sqlOutsideStore = [
  { selector: "CallExpression[callee.property.name=/^(query|unsafe)$/]", message: SQL_MESSAGE },
  { selector: `Literal[value=${SQL_TEXT}]`, message: SQL_MESSAGE },
  { selector: `TemplateElement[value.raw=${SQL_TEXT}]`, message: SQL_MESSAGE },
];
