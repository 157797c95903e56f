import { spawn } from "node:child_process";
import { cp, mkdir, rm } from "node:fs/promises";
import { createServer } from "node:net";
import path from "node:path";

const ROOT = path.resolve(import.meta.dirname, "../..");
const WORK = path.join(ROOT, "tests/.tmp/production");
// What Netlify checks out and builds: the repository minus tests and local tooling it never runs.
const SOURCES = [
  "app",
  "contracts",
  "public",
  "netlify",
  "vite.config.ts",
  "remix.config.js",
  "package.json",
  "tsconfig.json",
];
const REMIX_CLI = path.join(ROOT, "node_modules/@remix-run/dev/dist/cli.js");

export type Vars = Record<string, string>;

// The app's type declarations make NODE_ENV required in ProcessEnv; these processes deliberately have none.
const asProcessEnv = (vars: Vars) => vars as unknown as NodeJS.ProcessEnv;

/** A free TCP port on loopback. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.once("error", reject);
  });
}

function run(args: string[], options: { cwd: string; env: Vars }): Promise<{ code: number; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: options.cwd, env: asProcessEnv(options.env) });
    let output = "";
    child.stdout.on("data", (chunk) => (output += chunk));
    child.stderr.on("data", (chunk) => (output += chunk));
    child.once("error", reject);
    child.once("exit", (code) => resolve({ code: code ?? 1, output }));
  });
}

/**
 * Checks the sources out into their own directory and runs `npm run build` there as Netlify's build does for one
 * deploy context: in an environment holding only Netlify's build variables and the UI variables with the Builds
 * scope, none of this test process's own. Returns the directory the deploy is served from.
 */
export async function buildForNetlify(name: string, buildEnv: Vars): Promise<string> {
  const dir = path.join(WORK, name);
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  for (const entry of SOURCES) await cp(path.join(ROOT, entry), path.join(dir, entry), { recursive: true });
  const { code, output } = await run([REMIX_CLI, "vite:build"], { cwd: dir, env: withProcessBasics(buildEnv) });
  if (code !== 0) throw new Error(`the ${name} build failed:\n${output}`);
  return dir;
}

/** What any build or plugin process needs to start at all; Netlify's build image has them too. */
function withProcessBasics(env: Vars): Vars {
  return { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "/tmp", ...env };
}

export interface DeployedFunction {
  /** Where the test reaches the function (Netlify's edge stand-in). */
  url: string;
  /** What the function printed: Netlify's function log. */
  log(): string;
  stop(): Promise<void>;
}

/**
 * Starts a deploy's Remix function under Netlify's runtime contract: its own process, whose environment is only
 * `runtimeEnv` (the UI variables with the Functions scope plus URL, SITE_NAME, SITE_ID), answering for the deploy's
 * public origin.
 */
export async function startNetlifyFunction(
  deployDir: string,
  publicOrigin: string,
  runtimeEnv: Vars,
): Promise<DeployedFunction> {
  const port = await freePort();
  const functionFile = path.join(deployDir, ".netlify/functions-internal/remix-server.mjs");
  const child = spawn(
    process.execPath,
    [path.join(import.meta.dirname, "netlify-function-host.mjs"), functionFile, publicOrigin, String(port)],
    { cwd: deployDir, env: asProcessEnv(runtimeEnv) },
  );
  let log = "";
  child.stdout.on("data", (chunk) => (log += chunk));
  child.stderr.on("data", (chunk) => (log += chunk));
  await new Promise<void>((resolve, reject) => {
    const onData = () => log.includes(`listening ${port}`) && resolve();
    child.stdout.on("data", onData);
    child.once("exit", (code) => reject(new Error(`the function exited (${code}):\n${log}`)));
  });
  return {
    url: `http://127.0.0.1:${port}`,
    log: () => log,
    stop: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGTERM");
      await exited;
    },
  };
}

/**
 * Runs the deploy's inngest-sync build plugin's onSuccess as Netlify Build does once the deploy is live: with the
 * build environment, `inputs` from netlify.toml, `constants` and `netlifyConfig`. `routes` maps each deploy's
 * public origin to the function answering for it. Returns the statuses the plugin showed.
 */
export async function runSyncPlugin(
  deployDir: string,
  buildEnv: Vars,
  routes: Record<string, string>,
): Promise<{ statuses: Array<Record<string, unknown>>; output: string }> {
  const args = {
    inputs: { path: "/api/inngest" },
    constants: {
      CONFIG_PATH: path.join(deployDir, "netlify.toml"),
      PUBLISH_DIR: path.join(deployDir, "build/client"),
      FUNCTIONS_DIST: path.join(deployDir, ".netlify/functions"),
      INTERNAL_FUNCTIONS_SRC: path.join(deployDir, ".netlify/functions-internal"),
      IS_LOCAL: false,
      SITE_ID: buildEnv.SITE_ID,
    },
    netlifyConfig: {
      build: { command: "npm run build", publish: "build/client", environment: { NODE_VERSION: "24" } },
      plugins: [{ package: "/netlify/plugins/inngest-sync", inputs: { path: "/api/inngest" } }],
    },
    routes,
  };
  const { code, output } = await run(
    [
      path.join(import.meta.dirname, "run-build-plugin.mjs"),
      path.join(deployDir, "netlify/plugins/inngest-sync"),
      "onSuccess",
      JSON.stringify(args),
    ],
    { cwd: deployDir, env: withProcessBasics(buildEnv) },
  );
  if (code !== 0) throw new Error(`the plugin crashed:\n${output}`);
  const statuses = JSON.parse(output.match(/^STATUSES (.*)$/m)?.[1] ?? "[]");
  return { statuses, output };
}
