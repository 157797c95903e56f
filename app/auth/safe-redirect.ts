const SAME_SITE = "http://stepwise.invalid";

/**
 * Where to send a user after signing in: a path on this site, or `fallback`. The target is parsed as a URL, the
 * way a browser resolves a Location header, and what comes back is the parsed path, never the raw text. That
 * parse resolves dot segments, so `/.//evil.example`, `/..//evil.example` and `/%2e%2e//evil.example` all become
 * `//evil.example`, which a browser reads as another host: a result that starts with two slashes is refused.
 * Control characters are refused outright rather than dropped as a browser would, since no link of ours has them.
 */
export function safeRedirect(target: FormDataEntryValue | string | null | undefined, fallback = "/shop"): string {
  if (typeof target !== "string" || !target.startsWith("/")) return fallback;
  if ([...target].some((char) => char <= "\u001f" || char === "\u007f")) return fallback;
  let resolved: URL;
  try {
    resolved = new URL(target, SAME_SITE);
  } catch {
    return fallback;
  }
  if (resolved.origin !== SAME_SITE) return fallback;
  const path = resolved.pathname + resolved.search + resolved.hash;
  return path.startsWith("//") ? fallback : path;
}
