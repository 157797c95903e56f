import { existsSync } from "node:fs";
import { chromium, defineConfig, devices } from "@playwright/test";

// Playwright cannot download its own browsers here; Debian's chromium package stands in when it is absent.
const bundledChromium = chromium.executablePath();
const executablePath = existsSync(bundledChromium) ? undefined : "/usr/bin/chromium";

export default defineConfig({
  testDir: "tests/e2e",
  testMatch: "**/*.spec.ts",
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 15_000 },
  reporter: [["list"], ["json", { outputFile: "tests/.tmp/reports/playwright.json" }]],
  outputDir: "tests/.tmp/playwright",
  use: {
    baseURL: "http://localhost:3000",
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
  },
  projects: [
    {
      name: "chromium",
      use: {
        ...devices["Desktop Chrome"],
        launchOptions: {
          executablePath,
          // The closed network refuses Chromium's background connections; keep it from making any.
          args: ["--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        },
      },
    },
  ],
  // The whole local stack on a throwaway data dir, so a developer's own .data is never touched, serving the
  // production build (run `npm run build` first; `npm test` does).
  webServer: {
    command: "npx tsx local/dev.ts --fresh --built",
    url: "http://localhost:3000/healthz",
    env: { STEPWISE_DATA_DIR: "tests/.tmp/e2e-stack" },
    reuseExistingServer: false,
    timeout: 120_000,
    stdout: "ignore",
    stderr: "pipe",
  },
});
