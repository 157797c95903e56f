import { parseArgs } from "node:util";
import { INNGEST_DATA_DIR } from "../paths";
import { startExecutor } from "./index";

// `npm run inngest -- dev -u <url> ...`: the same command shape as `npx inngest-cli dev`.

const USAGE = `Usage: npm run inngest -- dev -u <sdk-url> [-u <sdk-url>...] [-p|--port 8288] [--retry-interval <seconds>]
                            [--in-memory | --data-dir <dir>] [--postgres-uri <url>] [--signing-key <key>] [--no-discovery]
                            [--no-checkpointing]`;

const [command, ...rest] = process.argv.slice(2);
if (command !== "dev") {
  console.error(`Unknown command "${command ?? ""}".\n${USAGE}`);
  process.exit(2);
}

let values: ReturnType<typeof parse>;
try {
  values = parse(rest);
} catch (error) {
  console.error(`${error instanceof Error ? error.message : error}\n${USAGE}`);
  process.exit(2);
}

function parse(args: string[]) {
  return parseArgs({
    args,
    options: {
      "sdk-url": { type: "string", short: "u", multiple: true },
      port: { type: "string", short: "p", default: "8288" },
      "retry-interval": { type: "string" },
      "in-memory": { type: "boolean", default: false },
      "data-dir": { type: "string" },
      "postgres-uri": { type: "string" },
      "signing-key": { type: "string" },
      "no-discovery": { type: "boolean", default: false },
      "no-checkpointing": { type: "boolean", default: false },
    },
    strict: true,
  }).values;
}

const port = Number(values.port);
const retryInterval = values["retry-interval"] === undefined ? undefined : Number(values["retry-interval"]);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`--port must be a port number, not "${values.port}"`);
  process.exit(2);
}
if (retryInterval !== undefined && !(retryInterval >= 0)) {
  console.error(`--retry-interval must be a number of seconds, not "${values["retry-interval"]}"`);
  process.exit(2);
}
// Without -u there is nothing to discover: this executor only syncs the apps it is told about.
const urls = values["sdk-url"] ?? [];
if (urls.length === 0 && !values["no-discovery"])
  console.log("No -u given: waiting for apps to register themselves (PUT their serve URL).");

const executor = await startExecutor({
  urls,
  port,
  dataDir: values["data-dir"] ?? INNGEST_DATA_DIR,
  inMemory: values["in-memory"],
  postgresUri: values["postgres-uri"],
  retryIntervalSeconds: retryInterval,
  signingKey: values["signing-key"],
  checkpointing: !values["no-checkpointing"],
});
console.log(`Inngest executor and dashboard on ${executor.url} (event API: ${executor.url}/e/<key>). Ctrl-C to stop.`);

const stop = async () => {
  await executor.stop();
  process.exit(0);
};
process.once("SIGINT", stop);
process.once("SIGTERM", stop);
