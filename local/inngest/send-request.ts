import http from "node:http";
import https from "node:https";

// The executor's requests to apps (sync and every step) go through node:http with keep-alive agents rather than
// fetch: the executor sends many small requests, and undici's fetch costs it both memory (about 10 MB once
// loaded) and time per request.

const agents = {
  "http:": new http.Agent({ keepAlive: true }),
  "https:": new https.Agent({ keepAlive: true }),
};

export interface AppResponse {
  status: number;
  ok: boolean;
  header(name: string): string | null;
  text: string;
}

/** Sends one request and reads the whole answer; rejects when the app cannot be reached or does not answer in time. */
export function sendRequest(
  method: "POST" | "PUT",
  url: URL,
  headers: Record<string, string>,
  body: string,
  timeoutMs: number,
): Promise<AppResponse> {
  const secure = url.protocol === "https:";
  return new Promise((resolve, reject) => {
    const request = (secure ? https : http).request(
      url,
      {
        method,
        headers: { ...headers, "content-length": String(Buffer.byteLength(body)) },
        agent: agents[secure ? "https:" : "http:"],
        timeout: timeoutMs,
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on("data", (chunk: Buffer) => chunks.push(chunk));
        response.on("error", reject);
        response.on("end", () => {
          const status = response.statusCode ?? 0;
          resolve({
            status,
            ok: status >= 200 && status < 300,
            header: (name) => {
              const value = response.headers[name.toLowerCase()];
              return value === undefined ? null : Array.isArray(value) ? value.join(", ") : value;
            },
            text: Buffer.concat(chunks).toString("utf8"),
          });
        });
      },
    );
    request.on("timeout", () => request.destroy(new Error(`no answer within ${timeoutMs / 1000} s`)));
    request.on("error", reject);
    request.end(body);
  });
}
