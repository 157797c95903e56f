import { describe, expect, it } from "vitest";
import { safeRedirect } from "../../app/auth/safe-redirect";

// After signing in, /login sends the user to its redirectTo. A crafted link must not turn that into a hop to
// another site. Each target below is a known way past naive checks; the assertion is what a browser would do
// with the Location header we answer: stay on our origin.

const SITE = "https://stepwise.example";
const BYPASSES = [
  "//evil.example",
  "///evil.example",
  "////evil.example",
  "/\\evil.example",
  "\\\\evil.example",
  "/\\/evil.example",
  "/.//evil.example",
  "/..//evil.example",
  "/../..//evil.example",
  "/%2e%2e//evil.example",
  "/%2E%2E//evil.example",
  "/.%2e//evil.example",
  "/%2e//evil.example",
  "/a/..//evil.example",
  "/./\\evil.example",
  "/\t/evil.example",
  "/\n/evil.example",
  "/\r\n/evil.example",
  "/\u0000/evil.example",
  " //evil.example",
  "https://evil.example",
  "http:evil.example",
  "https:/evil.example",
  "javascript:alert(1)",
  "data:text/html,<script>alert(1)</script>",
  "/\u3000/evil.example",
  "",
];

describe("the redirect after signing in", () => {
  it.each(BYPASSES.map((target) => [JSON.stringify(target), target]))("stays on the site for %s", (_, target) => {
    const location = safeRedirect(target);
    expect(location.startsWith("/")).toBe(true);
    expect(new URL(location, SITE).origin).toBe(SITE);
  });

  it("sends a bypass to the fallback, not to a rewritten path", () => {
    expect(safeRedirect("/.//evil.example", "/shop")).toBe("/shop");
    expect(safeRedirect("/%2e%2e//evil.example", "/orders")).toBe("/orders");
  });

  it("keeps a path of ours with its query and fragment", () => {
    expect(safeRedirect("/orders/42?tab=history#latest")).toBe("/orders/42?tab=history#latest");
    expect(safeRedirect("/documents?q=caf%C3%A9")).toBe("/documents?q=caf%C3%A9");
  });

  it("ignores a form field that is not text", () => {
    expect(safeRedirect(new File(["//evil.example"], "x"))).toBe("/shop");
    expect(safeRedirect(null)).toBe("/shop");
  });
});
