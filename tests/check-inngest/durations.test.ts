import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";
import { judgeDuration } from "../../tools/check-inngest/durations";

// The SDK's own parser, resolved from inngest's dependencies, to show the verdicts match what it does.
const ms = createRequire(createRequire(import.meta.url).resolve("inngest")).call(null, "ms") as (
  text: string,
) => number | undefined;

describe("judgeDuration agrees with how Inngest parses durations", () => {
  it.each([
    ["1h", "ok"],
    ["30 minutes", "ok"],
    ["1.5d", "ok"],
    ["2yr", "ok"],
    ["10 m", "ok"],
    ["1H", "ok"],
    ["1h30m", "compound"],
    ["1d 12h", "compound"],
    ["2 hours 30 minutes", "compound"],
    ["2 fortnights", "unknown-unit"],
    ["soon", "unknown-unit"],
    [" 1h", "unknown-unit"],
    ["5000", "no-unit"],
    ["0s", "not-positive"],
    ["-5m", "not-positive"],
  ])("%j is %s", (text, verdict) => {
    expect(judgeDuration(text)).toBe(verdict);
    const parsed = ms(text);
    // Only "ok" and "no-unit" strings make the SDK wait; everything else gives it nothing (or nothing positive).
    expect(parsed !== undefined && parsed > 0).toBe(verdict === "ok" || verdict === "no-unit");
  });
});
