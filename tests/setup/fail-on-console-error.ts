import { afterEach, beforeEach, vi } from "vitest";

// An unexpected console.error usually means a swallowed failure; make it fail the test that caused it.
// A test that expects one calls `expectConsoleError()` first.
let allowed = 0;
const seen: unknown[][] = [];

export function expectConsoleError(count = 1) {
  allowed += count;
}

beforeEach(() => {
  allowed = 0;
  seen.length = 0;
  vi.spyOn(console, "error").mockImplementation((...args: unknown[]) => {
    seen.push(args);
  });
});

afterEach(() => {
  vi.mocked(console.error).mockRestore();
  if (seen.length > allowed) {
    const first = seen[allowed]!.map(String).join(" ");
    throw new Error(`Unexpected console.error (${seen.length - allowed} call(s)); first: ${first}`);
  }
});
