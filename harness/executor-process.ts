import { spawn, type ChildProcess } from "node:child_process";
import { createServer } from "node:net";
import path from "node:path";
import { ExecutorClient } from "../local/inngest/client";

const ROOT = path.resolve(import.meta.dirname, "..");

/** A port nothing listens on right now, for a process that must be told its port before it starts. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/**
 * The executor as its own process, as `npm run inngest -- dev` runs it (`node --import tsx local/inngest/cli.ts`):
 * on a data dir, so a kill -9 loses only what was in memory, and restartable on the same dir.
 */
export class ExecutorProcess {
  private child: ChildProcess | undefined;
  private output = "";

  constructor(
    private readonly options: {
      sdkUrl: string;
      port: number;
      dataDir: string;
      /** More CLI flags, e.g. `--no-checkpointing`. */
      extraArgs?: string[];
    },
  ) {}

  get url() {
    return `http://127.0.0.1:${this.options.port}`;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** Starts it and resolves once it has synced the app. */
  async start(): Promise<ExecutorClient> {
    const { sdkUrl, port, dataDir } = this.options;
    const args = [
      "--import",
      "tsx",
      "local/inngest/cli.ts",
      "dev",
      "-u",
      sdkUrl,
      "-p",
      String(port),
      "--data-dir",
      dataDir,
      "--retry-interval",
      "0",
      ...(this.options.extraArgs ?? []),
    ];
    const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
    this.child = child;
    child.stdout!.on("data", (chunk: Buffer) => (this.output += chunk.toString()));
    child.stderr!.on("data", (chunk: Buffer) => (this.output += chunk.toString()));
    const client = new ExecutorClient(this.url);
    for (let i = 0; i < 300; i++) {
      if (child.exitCode !== null) throw new Error(`the executor exited with ${child.exitCode}:\n${this.output}`);
      const ready = await client.listFunctions().then(
        (fns) => fns.length > 0,
        () => false,
      );
      if (ready) return client;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`the executor did not start:\n${this.output}`);
  }

  /** SIGKILL: no shutdown hook runs, in-flight requests are abandoned mid-way. */
  kill9(): Promise<void> {
    return this.signal("SIGKILL");
  }

  /** SIGINT, as Ctrl-C: it finishes in-flight work and closes its database. */
  stop(): Promise<void> {
    return this.signal("SIGINT");
  }

  private async signal(signal: NodeJS.Signals): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once("exit", resolve));
    child.kill(signal);
    await exited;
  }
}
