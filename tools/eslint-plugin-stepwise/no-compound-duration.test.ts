import { RuleTester } from "eslint";
import tseslint from "typescript-eslint";
import { describe, it } from "vitest";
import plugin from "./index.js";

RuleTester.describe = describe;
RuleTester.it = it;
const tester = new RuleTester({ languageOptions: { parser: tseslint.parser as never } });

tester.run("no-compound-duration", plugin.rules["no-compound-duration"], {
  valid: [
    `step.sleep("wait-a-day", "24h")`,
    `step.sleep("wait", "90 minutes")`,
    "step.sleep(`wait`, `1.5d`)",
    `step.sleep("wait", delay)`,
    `step.sleep("wait-ms", "5000")`,
    `step.waitForEvent("await-approval", { event: "a/b", timeout: "7d" })`,
    `step.invoke("call-other", { function: other, timeout: "2h" })`,
    `inngest.createFunction({ id: "f", cancelOn: [{ event: "a/cancel", timeout: "30d" }], triggers: [] }, handler)`,
    // Only the step tools parse durations; other objects' sleeps are none of this rule's business.
    `timer.sleep("wait", "1h30m")`,
  ],
  invalid: [
    {
      code: `step.sleep("nap", "1h30m")`,
      errors: [
        {
          message: `"1h30m" combines units; Inngest parses one unit per string, so this would not wait at all. Use a single unit, e.g. '90m' for 1h30m or '36h' for 1d12h.`,
        },
      ],
    },
    { code: "step.sleep(`nap`, `1d 12h`)", errors: [{ messageId: "compound" }] },
    { code: `step.waitForEvent("w", { event: "a/b", timeout: "2 fortnights" })`, errors: [{ messageId: "unparsed" }] },
    { code: `step.invoke("i", { function: f, timeout: "1d12h" })`, errors: [{ messageId: "compound" }] },
    { code: `step.waitForSignal("s", { signal: "x", timeout: "0s" })`, errors: [{ messageId: "unparsed" }] },
    {
      code: `inngest.createFunction({ id: "f", cancelOn: [{ event: "a/cancel", timeout: "1w2d" }], triggers: [] }, handler)`,
      errors: [{ messageId: "compound", line: 1, column: 76 }],
    },
  ],
});
