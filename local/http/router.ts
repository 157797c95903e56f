import type { FetchHandler } from "./serve-fetch-handler";

export type RouteHandler = (request: Request, params: Record<string, string>, url: URL) => Promise<Response> | Response;

interface Route {
  method: string;
  pattern: RegExp;
  names: string[];
  handler: RouteHandler;
}

/** A minimal method + path router (`/v1/customers/:id`) for the emulators' Fetch handlers. */
export class Router {
  private routes: Route[] = [];

  on(method: string, path: string, handler: RouteHandler): this {
    const names: string[] = [];
    const source = path.replace(/:(\w+)(\*)?/g, (_match, name: string, rest?: string) => {
      names.push(name);
      return rest ? "(.+)" : "([^/]+)";
    });
    this.routes.push({ method: method.toUpperCase(), pattern: new RegExp(`^${source}/?$`), names, handler });
    return this;
  }

  get(path: string, handler: RouteHandler) {
    return this.on("GET", path, handler);
  }
  post(path: string, handler: RouteHandler) {
    return this.on("POST", path, handler);
  }
  put(path: string, handler: RouteHandler) {
    return this.on("PUT", path, handler);
  }
  delete(path: string, handler: RouteHandler) {
    return this.on("DELETE", path, handler);
  }

  /** The Fetch handler; `notFound` answers unmatched requests in the emulated service's own error shape. */
  handler(notFound: (request: Request) => Response): FetchHandler {
    return async (request) => {
      const url = new URL(request.url);
      for (const route of this.routes) {
        if (route.method !== request.method && !(route.method === "GET" && request.method === "HEAD")) continue;
        const match = route.pattern.exec(url.pathname);
        if (!match) continue;
        const params = Object.fromEntries(route.names.map((name, i) => [name, decodeURIComponent(match[i + 1]!)]));
        return route.handler(request, params, url);
      }
      return notFound(request);
    };
  }
}

export function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json", ...headers } });
}
