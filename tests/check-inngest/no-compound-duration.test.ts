import { RuleTester } from "eslint";
import tseslint from "typescript-eslint";
import { describe, it } from "vitest";
import plugin from "../../tools/eslint-plugin-stepwise/index.js";

RuleTester.describe = describe;
RuleTester.it = it;
const tester = new RuleTester({ languageOptions: { parser: tseslint.parser as never } });

tester.run("no-compound-duration", plugin.rules["no-compound-duration"] as never, {
  valid: [`step.sleep("wait-24h", "24h")`, `step.sleep("wait", "90 minutes")`, `step.waitForEvent("w", { event: "a/b", timeout: "7d" })`],
  invalid: [
    { code: `step.sleep("nap", "1h30m")`, errors: [{ messageId: "compound" }] },
    { code: `step.waitForEvent("w", { event: "a/b", timeout: "2 fortnights" })`, errors: [{ messageId: "unknown" }] },
    { code: `step.invoke("i", { function: f, timeout: "1d12h" })`, errors: [{ messageId: "compound" }] },
  ],
});
