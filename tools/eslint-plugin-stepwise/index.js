import { noCompoundDuration } from "./rules/no-compound-duration.js";

/** Stepwise's own ESLint rules, for ESLint 9 flat config (see README.md for how to register them). */
export default {
  meta: { name: "eslint-plugin-stepwise", version: "0.1.0" },
  rules: { "no-compound-duration": noCompoundDuration },
};
