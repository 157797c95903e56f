import { json } from "../http/router";
import type { FetchHandler } from "../http/serve-fetch-handler";

const LOOPBACK_HOSTNAMES = new Set(["localhost", "127.0.0.1", "[::1]", "::1"]);

export function isLoopbackHostname(hostname: string): boolean {
  return LOOPBACK_HOSTNAMES.has(hostname.toLowerCase()) || /^127(\.\d{1,3}){3}$/.test(hostname);
}

function hostnameOf(hostHeader: string): string | null {
  try {
    return new URL(`http://${hostHeader}`).hostname;
  } catch {
    return null;
  }
}

/**
 * The executor has no keys in dev mode (as `inngest-cli dev`), so it must be reachable only from this machine:
 * a request addressed to another Host is refused (a DNS-rebound name pointing at 127.0.0.1 would otherwise let a
 * web page read runs and their data), and so is one a browser sends from a page of another origin (any site
 * could otherwise POST events or cancel runs).
 */
export function onlyFromLoopback(handler: FetchHandler): FetchHandler {
  return (request) => {
    const host = hostnameOf(request.headers.get("host") ?? "");
    if (!host || !isLoopbackHostname(host)) {
      return json({ error: "The executor answers only requests to localhost or 127.0.0.1.", status: 403 }, 403);
    }
    const origin = request.headers.get("origin");
    if (origin !== null && !isLoopbackOrigin(origin)) {
      return json({ error: `The executor does not answer pages from ${origin}.`, status: 403 }, 403);
    }
    return handler(request);
  };
}

function isLoopbackOrigin(origin: string): boolean {
  try {
    const url = new URL(origin);
    return (url.protocol === "http:" || url.protocol === "https:") && isLoopbackHostname(url.hostname);
  } catch {
    return false; // "null" (a sandboxed frame, a file) is nobody we know
  }
}
