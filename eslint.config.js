import inngestPlugin from "@inngest/eslint-plugin";
import stepwisePlugin from "./tools/eslint-plugin-stepwise/index.js";
import js from "@eslint/js";
import { createTypeScriptImportResolver } from "eslint-import-resolver-typescript";
import importX from "eslint-plugin-import-x";
import jsxA11y from "eslint-plugin-jsx-a11y";
import reactHooks from "eslint-plugin-react-hooks";
import globals from "globals";
import tseslint from "typescript-eslint";
import { boundaryZones, sqlOutsideStore } from "./tools/boundaries.js";

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
  {
    // React's rules of hooks and the static accessibility rules, on everything that renders JSX.
    files: ["app/**/*.tsx", "app/**/*.ts"],
    ...reactHooks.configs.flat.recommended,
  },
  { files: ["app/**/*.tsx"], ...jsxA11y.flatConfigs.recommended },
  {
    // The rooms of the tree and who may import whom (tools/boundaries.js). The TypeScript resolver follows
    // tsconfig's `~/*`, so an aliased import is judged by the file it reaches.
    files: ["**/*.{ts,tsx,js}"],
    plugins: { "import-x": importX },
    settings: { "import-x/resolver-next": [createTypeScriptImportResolver({ project: "./tsconfig.json" })] },
    rules: { "import-x/no-restricted-paths": ["error", { zones: boundaryZones }] },
  },
  {
    // The local executor's modules form layers (store, queue, flow control, HTTP): none may import back up.
    files: ["local/inngest/**/*.ts"],
    plugins: { "import-x": importX },
    settings: {
      "import-x/resolver-next": [createTypeScriptImportResolver({ project: "./tsconfig.json" })],
      // no-cycle reads the imported files itself, so it needs to know they are TypeScript.
      "import-x/parsers": { "@typescript-eslint/parser": [".ts", ".tsx"] },
      "import-x/extensions": [".ts", ".tsx", ".js"],
    },
    rules: { "import-x/no-cycle": ["error", { ignoreExternal: true }] },
  },
  {
    // The executor's SQL has one home, local/inngest/store/ (tools/boundaries.js).
    files: ["local/inngest/**/*.ts"],
    ignores: ["local/inngest/store/**"],
    rules: { "no-restricted-syntax": ["error", ...sqlOutsideStore] },
  },
);
