import { defineConfig } from "vitest/config";
import tsconfigPaths from "vite-tsconfig-paths";

// Unit, integration and contract tests. Browser journeys live in tests/e2e and run under Playwright.
export default defineConfig({
  plugins: [tsconfigPaths()],
  test: {
    include: ["tests/**/*.test.ts", "tools/**/*.test.ts"],
    exclude: ["tests/e2e/**", "tests/fixtures/**", "node_modules/**"],
    setupFiles: ["tests/setup/fail-on-console-error.ts"],
    // Tests run the app on the embedded stack, as `npm run dev` does; the production simulation starts its
    // processes without this switch.
    env: { STEPWISE_LOCAL_STACK: "1" },
    globalSetup: ["harness/template-database.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: "forks",
    fileParallelism: true,
    maxWorkers: 2,
  },
});
