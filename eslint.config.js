import inngestPlugin from "@inngest/eslint-plugin";
import stepwisePlugin from "./tools/eslint-plugin-stepwise/index.js";
import js from "@eslint/js";
import globals from "globals";
import tseslint from "typescript-eslint";

export default tseslint.config(
  {
    ignores: [
      "build/**",
      ".netlify/**",
      ".data/**",
      "node_modules/**",
      "tests/fixtures/**",
      "tests/.tmp/**",
      "test-results/**",
      "playwright-report/**",
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    // Everything here runs on Node or in the browser; TypeScript already checks the .ts files' globals.
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
    },
  },
  {
    // Inngest's own rules where functions live: await every send, no nested steps, no mutation across steps.
    files: ["app/inngest/**/*.ts"],
    plugins: { "@inngest": inngestPlugin, stepwise: stepwisePlugin },
    rules: { ...inngestPlugin.configs.recommended.rules, "stepwise/no-compound-duration": "error" },
  },
);
