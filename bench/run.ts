import { spawnSync } from "node:child_process";
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";

// `npm run bench`: runs each benchmark in its own process (so one's memory and JIT state do not colour
// another's), echoes their `key=value` lines and writes them as a table to bench/results/latest.md.

const ROOT = path.resolve(import.meta.dirname, "..");
const BENCHMARKS: Array<{ file: string; args?: string[]; title: string }> = [
  { file: "bench/executor.ts", title: "Inngest executor" },
  { file: "bench/web.ts", title: "Web" },
  { file: "bench/dev-start.ts", title: "npm run dev start-up" },
  { file: "bench/pipeline.ts", title: "Document pipeline" },
  { file: "bench/ocr.ts", title: "OCR" },
  { file: "bench/quality.ts", title: "Search quality on real PDFs" },
  { file: "bench/search.ts", args: ["10000"], title: "Search at 10,000 chunks" },
  { file: "bench/search.ts", args: ["100000"], title: "Search at 100,000 chunks" },
  { file: "bench/digest.ts", title: "Daily digest fan-out" },
];

const sections: string[] = [];
let failures = 0;
for (const bench of BENCHMARKS) {
  console.log(`# ${bench.title} (${[bench.file, ...(bench.args ?? [])].join(" ")})`);
  const result = spawnSync("npx", ["tsx", bench.file, ...(bench.args ?? [])], {
    cwd: ROOT,
    encoding: "utf8",
    stdio: ["ignore", "pipe", "inherit"],
  });
  process.stdout.write(result.stdout);
  const figures = result.stdout.split("\n").filter((line) => /^[a-z0-9_]+=/.test(line));
  if (result.status !== 0) failures += 1;
  sections.push(renderSection(bench.title, figures, result.status));
}

const report = `# Benchmark results\n\nRun ${new Date().toISOString()} on ${process.platform}/${process.arch}, Node ${process.version}.\n\n${sections.join("\n")}`;
await mkdir(path.join(ROOT, "bench/results"), { recursive: true });
await writeFile(path.join(ROOT, "bench/results/latest.md"), report);
console.log("\nWrote bench/results/latest.md");
process.exit(failures ? 1 : 0);

function renderSection(title: string, figures: string[], status: number | null): string {
  const rows = figures.map((line) => {
    const [key, ...rest] = line.split("=");
    return `| ${key} | ${rest.join("=")} |`;
  });
  const outcome = status === 0 ? "" : `\n_exited with status ${status}_\n`;
  return `## ${title}\n\n| figure | value |\n|---|---|\n${rows.join("\n")}\n${outcome}`;
}
