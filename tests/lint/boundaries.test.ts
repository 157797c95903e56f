import path from "node:path";
import { ESLint } from "eslint";
import { expect, it } from "vitest";

// Each room's boundary, linted as the project's own config lints a file placed there: a crossing import fails
// with the zone's message, and the import the room is allowed beside it passes.

const ROOT = path.resolve(import.meta.dirname, "../..");
const eslint = new ESLint({ cwd: ROOT });

async function boundaryErrors(file: string, source: string): Promise<string[]> {
  const [result] = await eslint.lintText(source, { filePath: path.join(ROOT, file) });
  return result!.messages.filter((m) => m.ruleId === "import-x/no-restricted-paths").map((m) => m.message);
}

const cases: Array<{ file: string; crossing: string; allowed: string; says: RegExp }> = [
  {
    file: "app/boundary-probe.ts",
    crossing: `import { startLocalStack } from "../local/start-local-stack";`,
    allowed: `import { LOCAL_PORTS } from "../contracts/local-defaults";`,
    says: /never imports the local stack/,
  },
  {
    file: "app/routes/boundary-probe.ts",
    crossing: `export const load = () => import("../../harness/test-stack");`,
    allowed: `export const load = () => import("~/db.server");`,
    says: /never imports the local stack, the harness/,
  },
  {
    file: "local/emulators/supabase/boundary-probe.ts",
    crossing: `import { transactionAs } from "../../../app/db.server";`,
    allowed: `import { LOCAL_DEFAULTS } from "../../../contracts/local-defaults";`,
    says: /owns its code \(SQL helpers included\)/,
  },
  {
    file: "local/dev.ts",
    crossing: `import { database } from "../app/db.server";`,
    allowed: `import { parseEnv } from "../app/env.server";`,
    says: /only whether its env is valid/,
  },
  {
    file: "local/boundary-probe.ts",
    crossing: `import { startTestStack } from "../harness/test-stack";`,
    allowed: `import { startLocalStack } from "./start-local-stack";`,
    says: /local\/ stands on its own/,
  },
  {
    file: "app/inngest/functions/boundary-probe.server.ts",
    crossing: `import { PRO_PLAN } from "~/billing/plans";`,
    allowed: `import { inngest } from "~/inngest/client.server";\nimport { OrderEmail } from "~/emails/order-email";\nimport { shipOrder } from "~/orders/ship-order.server";`,
    says: /imports only the client, its events, \*\.server\.ts modules and email templates/,
  },
  {
    file: "local/inngest/boundary-probe.ts",
    crossing: `import postgres from "postgres";`,
    allowed: `import { findRun } from "./store/runs";`,
    says: /Only local\/inngest\/store\/ talks to the executor's database/,
  },
  {
    file: "local/inngest/flow-control/boundary-probe.ts",
    crossing: `import { PGlite } from "@electric-sql/pglite";`,
    allowed: `import { lockArrivalTime } from "../store/flow-state";`,
    says: /Only local\/inngest\/store\/ talks to the executor's database/,
  },
  {
    file: "local/inngest/store/boundary-probe.ts",
    crossing: `import { startRun } from "../runs";`,
    allowed: `import type { RunRow } from "../types";\nimport { PGlite } from "@electric-sql/pglite";\nimport { enqueue } from "./jobs";`,
    says: /bottom layer/,
  },
  {
    file: "bench/boundary-probe.ts",
    crossing: `import { createUser } from "../tests/support/rows";`,
    allowed: `import { startTestStack } from "../harness/test-stack";`,
    says: /nothing imports tests\//,
  },
  {
    file: "contracts/boundary-probe.ts",
    crossing: `import { env } from "../app/env.server";`,
    allowed: `import path from "node:path";`,
    says: /imports neither/,
  },
];

it.each(cases)(
  "$file: a crossing import fails lint, the allowed one passes",
  async ({ file, crossing, allowed, says }) => {
    const errors = await boundaryErrors(file, crossing);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(says);
    expect(await boundaryErrors(file, allowed)).toEqual([]);
  },
);

async function sqlErrors(file: string, source: string): Promise<string[]> {
  const [result] = await eslint.lintText(source, { filePath: path.join(ROOT, file) });
  return result!.messages.filter((m) => m.ruleId === "no-restricted-syntax").map((m) => m.message);
}

const statements = [
  `export const run = (db: Database) => db.query(sql);`,
  `export const drop = "delete from jobs where id = $1";`,
  `export const list = \`select * from runs where run_id = \${id}\`;`,
  `export const add = "insert into pauses (run_id) values ($1)";`,
  `export const move = "update jobs set due_at = $2 where id = $1";`,
  `export const both = \`with ended as (update runs set status = $2)\`;`,
];

it.each(statements)("SQL outside local/inngest/store/ fails lint: %s", async (source) => {
  const errors = await sqlErrors(
    "local/inngest/boundary-probe.ts",
    `type Database = any; const sql = ""; const id = 1;\n${source}`,
  );
  expect(errors).toEqual([expect.stringMatching(/lives only in local\/inngest\/store\//)]);
  expect(
    await sqlErrors(
      "local/inngest/store/boundary-probe.ts",
      `type Database = any; const sql = ""; const id = 1;\n${source}`,
    ),
  ).toEqual([]);
});

it("prose that merely starts like a statement is not taken for SQL", async () => {
  const prose = `export const a = "Select a function to see its runs";\nexport const b = "updated 3 runs";\nexport const c = "with a payload";`;
  expect(await sqlErrors("local/inngest/boundary-probe.ts", prose)).toEqual([]);
});
