import path from "node:path";
import { ESLint } from "eslint";
import { expect, it } from "vitest";

// The executor's modules may not import each other in a circle: linted as the project lints local/inngest/runs.ts,
// an import of a module that imports runs.ts back fails, and an import of a module below it passes.

const ROOT = path.resolve(import.meta.dirname, "../..");
const eslint = new ESLint({ cwd: ROOT });

async function cycleErrors(source: string): Promise<string[]> {
  const [result] = await eslint.lintText(source, { filePath: path.join(ROOT, "local/inngest/runs.ts") });
  return result!.messages.filter((m) => m.ruleId === "import-x/no-cycle").map((m) => m.message);
}

it("fails an import cycle inside the executor and passes a one-way import", async () => {
  expect(await cycleErrors(`import { invokeChild } from "./waits";\nexport const x = invokeChild;\n`)).toEqual([
    "Dependency cycle detected",
  ]);
  expect(
    await cycleErrors(`import { addToBatch } from "./flow-control/batch";\nexport const x = addToBatch;\n`),
  ).toEqual([]);
});
