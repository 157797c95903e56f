import { spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

// How long `npm run dev` takes until the app answers /healthz: cold (no data dir: the database is created,
// migrated and seeded) and warm (the same data dir again). Uses the dev ports, so stop your own dev server first.

const ROOT = path.resolve(import.meta.dirname, "..");
const dataDir = await mkdtemp(path.join(tmpdir(), "stepwise-dev-"));

const coldSeconds = await secondsUntilHealthy(dataDir);
const warmSeconds = await secondsUntilHealthy(dataDir);
await rm(dataDir, { recursive: true, force: true });

console.log(`dev_cold_start_s=${coldSeconds.toFixed(1)}`);
console.log(`dev_warm_start_s=${warmSeconds.toFixed(1)}`);

async function secondsUntilHealthy(dir: string): Promise<number> {
  const started = performance.now();
  const child = spawn(process.execPath, ["--import", "tsx", "local/dev.ts"], {
    cwd: ROOT,
    env: { ...process.env, STEPWISE_DATA_DIR: dir },
    stdio: "ignore",
  });
  try {
    for (;;) {
      if (child.exitCode !== null) throw new Error(`npm run dev exited with ${child.exitCode}`);
      const healthy = await fetch("http://localhost:3000/healthz").then(
        (r) => r.ok,
        () => false,
      );
      if (healthy) return (performance.now() - started) / 1000;
      if (performance.now() - started > 120_000) throw new Error("npm run dev was not healthy within 120 s");
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  } finally {
    const exited = new Promise((resolve) => child.once("exit", resolve));
    child.kill("SIGINT");
    await exited;
  }
}
