import { spawn, type ChildProcess } from "node:child_process";
import { createRequire } from "node:module";
import { PROJECT_ROOT } from "./paths";

/**
 * The environment remix-serve runs the production build with under `npm run dev -- --built`. remix-serve would
 * listen on every interface: the local app has test keys and a mailbox anyone could read, so it listens on
 * 127.0.0.1 only.
 */
export function builtAppServerEnv(base: NodeJS.ProcessEnv, port: number): NodeJS.ProcessEnv {
  return { ...base, PORT: String(port), HOST: "127.0.0.1" };
}

export function startBuiltAppServer(port: number): ChildProcess {
  const serveCli = createRequire(import.meta.url).resolve("@remix-run/serve/dist/cli.js");
  return spawn(process.execPath, [serveCli, "build/server/index.js"], {
    cwd: PROJECT_ROOT,
    env: builtAppServerEnv(process.env, port),
    stdio: ["ignore", "inherit", "inherit"],
  });
}
