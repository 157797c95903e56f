import { execFileSync, spawn } from "node:child_process";
import { chownSync, existsSync, readdirSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import postgres from "postgres";
import { freePort } from "../../harness/executor-process";

// A private PostgreSQL server for one test file: initdb into a temporary directory and `postgres` on a free
// port, stopped and deleted afterwards, so the executor's durable store is proven on a real server without
// touching any cluster the machine runs. PostgreSQL refuses to run as root, so as root it runs as `postgres`.

/** The directory with initdb and postgres: $PG_BIN, or the newest Debian install under /usr/lib/postgresql. */
export function findPostgresBin(): string | null {
  if (process.env.PG_BIN) return process.env.PG_BIN;
  const root = "/usr/lib/postgresql";
  if (!existsSync(root)) return null;
  const versions = readdirSync(root)
    .filter((version) => existsSync(path.join(root, version, "bin", "initdb")))
    .sort((a, b) => Number(b) - Number(a));
  return versions[0] ? path.join(root, versions[0], "bin") : null;
}

export interface PostgresServer {
  uri: string;
  stop(): Promise<void>;
}

export async function startPostgresServer(bin: string): Promise<PostgresServer> {
  const dir = await mkdtemp(path.join(tmpdir(), "stepwise-postgres-"));
  const asRoot = process.getuid?.() === 0;
  if (asRoot) {
    const uid = Number(execFileSync("id", ["-u", "postgres"], { encoding: "utf8" }));
    const gid = Number(execFileSync("id", ["-g", "postgres"], { encoding: "utf8" }));
    chownSync(dir, uid, gid);
  }
  // util-linux puts runuser in /usr/sbin, which a root shell need not have on PATH.
  const runuser = existsSync("/usr/sbin/runuser") ? "/usr/sbin/runuser" : "runuser";
  const run = (program: string, args: string[]) =>
    asRoot
      ? { command: runuser, args: ["-u", "postgres", "--", path.join(bin, program), ...args] }
      : { command: path.join(bin, program), args };

  const data = path.join(dir, "data");
  const init = run("initdb", ["-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync"]);
  execFileSync(init.command, init.args, { stdio: "ignore" });

  const port = await freePort();
  const serve = run("postgres", [
    "-D",
    data,
    "-p",
    String(port),
    "-k",
    dir,
    "-c",
    "listen_addresses=127.0.0.1",
    "-c",
    "fsync=off",
    "-c",
    "shared_buffers=16MB",
  ]);
  const child = spawn(serve.command, serve.args, { stdio: ["ignore", "ignore", "pipe"] });
  let output = "";
  child.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const uri = `postgres://postgres@127.0.0.1:${port}/postgres`;

  for (let attempt = 0; ; attempt++) {
    if (child.exitCode !== null) throw new Error(`postgres exited with ${child.exitCode}:\n${output}`);
    const sql = postgres(uri, { max: 1, onnotice: () => {}, connect_timeout: 2 });
    const ready = await sql`select 1`.then(
      () => true,
      () => false,
    );
    await sql.end({ timeout: 1 });
    if (ready) break;
    if (attempt > 300) throw new Error(`postgres did not accept connections within 30 s:\n${output}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }

  return {
    uri,
    async stop() {
      // A fast shutdown ends the sessions and exits; pg_ctl waits for it (a signal to runuser may not reach it).
      const exited =
        child.exitCode !== null ? Promise.resolve() : new Promise((resolve) => child.once("exit", resolve));
      const stop = run("pg_ctl", ["-D", data, "-m", "fast", "-w", "stop"]);
      execFileSync(stop.command, stop.args, { stdio: "ignore" });
      await exited;
      await rm(dir, { recursive: true, force: true });
    },
  };
}
