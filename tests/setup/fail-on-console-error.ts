import { format } from "node:util";
import { afterEach, beforeEach, vi } from "vitest";

// An unexpected console.error usually means a swallowed failure; make it fail the test that caused it.
// A test that expects some calls `expectConsoleError()` (a count) or `allowConsoleErrors(/pattern/)` first.
let allowedCount = 0;
let allowedPatterns: RegExp[] = [];
const seen: string[] = [];

export function expectConsoleError(count = 1) {
  allowedCount += count;
}

/** Lets this test log any number of errors matching `pattern` (e.g. an SDK's own log of a rejected request). */
export function allowConsoleErrors(pattern: RegExp) {
  allowedPatterns.push(pattern);
}

beforeEach(() => {
  allowedCount = 0;
  allowedPatterns = [];
  seen.length = 0;
  vi.spyOn(console, "error").mockImplementation((...args: unknown[]) => {
    seen.push(format(...args));
  });
});

afterEach(() => {
  vi.mocked(console.error).mockRestore();
  const unexpected = seen.filter((line) => !allowedPatterns.some((pattern) => pattern.test(line)));
  if (unexpected.length > allowedCount) {
    throw new Error(
      `Unexpected console.error (${unexpected.length - allowedCount} call(s)); first: ${unexpected[allowedCount]}`,
    );
  }
});
