import { spawn, type ChildProcess } from "node:child_process";
import { rm } from "node:fs/promises";
import { createRequire } from "node:module";
import { EnvError, parseEnv } from "../app/env.server";
import { LOCAL_PORTS } from "../contracts/local-defaults";
import { startBuiltAppServer } from "./built-app-server";
import { startExecutor } from "./inngest/index";
import { DATA_DIR, EMBEDDED_DB_DIR, INNGEST_DATA_DIR, PROJECT_ROOT, STORAGE_DIR } from "./paths";
import { startLocalStack } from "./start-local-stack";

// `npm run dev`: the embedded stack and the Remix dev server, one command, one Ctrl-C to stop it all.
// `--no-vite` starts only the services (for running the app some other way, e.g. `netlify dev`);
// `--fresh` starts from an empty data dir; `--built` serves the production build (`npm run build`) with
// remix-serve instead of the Vite dev server. The browser tests use both: a built app has no dependency
// optimisation that can reload a page mid-test.

const startedAt = Date.now();
const withVite = !process.argv.includes("--no-vite");
const fresh = process.argv.includes("--fresh");
const built = process.argv.includes("--built");

// The one switch that turns on the local stack's defaults; every process started from here inherits it. Any process
// not started by this launcher (a Netlify function, `remix-serve build` on a server) gets the production rules.
process.env.STEPWISE_LOCAL_STACK = "1";

try {
  parseEnv(process.env);
} catch (error) {
  if (!(error instanceof EnvError)) throw error;
  console.error(error.message);
  process.exit(1);
}

if (fresh) await rm(DATA_DIR, { recursive: true, force: true });
const stack = await startLocalStack({
  dbDataDir: EMBEDDED_DB_DIR,
  storageDir: STORAGE_DIR,
  appUrl: `http://localhost:${LOCAL_PORTS.app}`,
});
// The app and everything it spawns read the local addresses unless the developer's env already says otherwise.
for (const [key, value] of Object.entries(stack.env)) process.env[key] ??= value;

const vite = withVite ? (built ? startBuiltAppServer(LOCAL_PORTS.app) : startRemixDevServer()) : undefined;
// The executor syncs the app's /api/inngest as soon as the dev server answers, and again every few seconds.
const executor = await startExecutor({
  urls: [`http://127.0.0.1:${LOCAL_PORTS.app}/api/inngest`],
  port: LOCAL_PORTS.inngest,
  dataDir: INNGEST_DATA_DIR,
});

printUrls({ "Inngest executor + dashboard": executor.url, ...stack.urls });
console.log(`Ready in ${((Date.now() - startedAt) / 1000).toFixed(1)} s. Ctrl-C stops everything.`);

let stopping = false;
async function shutdown(code: number) {
  if (stopping) return;
  stopping = true;
  console.log("\nStopping…");
  if (vite && vite.exitCode === null) {
    const exited = new Promise((resolve) => vite.once("exit", resolve));
    vite.kill("SIGTERM");
    await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5_000))]);
    if (vite.exitCode === null) vite.kill("SIGKILL");
  }
  // Closing the databases last lets them flush so the data dirs are consistent on the next start.
  await executor.stop();
  await stack.stop();
  process.exit(code);
}
process.on("SIGINT", () => void shutdown(0));
process.on("SIGTERM", () => void shutdown(0));
vite?.on("exit", (code) => {
  if (!stopping) {
    console.error(`The Remix dev server exited (code ${code}); stopping the stack.`);
    void shutdown(code ?? 1);
  }
});

function startRemixDevServer(): ChildProcess {
  const remixCli = createRequire(import.meta.url).resolve("@remix-run/dev/dist/cli.js");
  return spawn(process.execPath, [remixCli, "vite:dev", "--port", String(LOCAL_PORTS.app), "--strictPort"], {
    cwd: PROJECT_ROOT,
    env: process.env,
    stdio: ["ignore", "inherit", "inherit"],
  });
}

function printUrls(urls: Record<string, string>) {
  const rows: Array<[string, string]> = [
    ["App", `http://localhost:${LOCAL_PORTS.app}`],
    ["Health", `http://localhost:${LOCAL_PORTS.app}/healthz`],
    ...Object.entries(urls),
  ];
  const width = Math.max(...rows.map(([name]) => name.length));
  console.log("\nStepwise local stack");
  for (const [name, url] of rows) console.log(`  ${name.padEnd(width)}  ${url}`);
  console.log();
}
