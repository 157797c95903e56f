import { existsSync, statSync } from "node:fs";
import path from "node:path";
import { isBlocking } from "./findings";
import { formatJson, formatTable } from "./reporter";
import { checkProject } from "./run-checks";

// npm run check:inngest -- [projectDir] [--json] [--source-only]
// Exit 1 on any CRITICAL or ERROR finding, 0 otherwise (warnings are printed), 2 on bad usage.

const USAGE = "Usage: npm run check:inngest -- [projectDir] [--json] [--source-only]";
const KNOWN_FLAGS = new Set(["--json", "--source-only", "--help"]);

const args = process.argv.slice(2);
const unknownFlag = args.find((arg) => arg.startsWith("-") && !KNOWN_FLAGS.has(arg));
const directories = args.filter((arg) => !arg.startsWith("-"));
if (args.includes("--help")) {
  console.log(USAGE);
  process.exit(0);
}
if (unknownFlag || directories.length > 1) {
  console.error(
    `check:inngest: ${unknownFlag ? `unknown option ${unknownFlag}` : "give at most one project directory"}. ${USAGE}`,
  );
  process.exit(2);
}
const project = path.resolve(directories[0] ?? ".");
if (!existsSync(project) || !statSync(project).isDirectory()) {
  console.error(`check:inngest: ${project} is not a directory. ${USAGE}`);
  process.exit(2);
}

try {
  const report = await checkProject(project, { importConfig: !args.includes("--source-only") });
  console.log(args.includes("--json") ? formatJson(project, report) : formatTable(project, report));
  // Exit explicitly: an imported project module may hold timers or sockets open.
  process.exit(report.findings.some(isBlocking) ? 1 : 0);
} catch (error) {
  console.error(`check:inngest could not check ${project}: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(2);
}
