import type { OutgoingOp } from "./types";

// step.fetch (`Gateway` op) and step.ai.infer (`AIGateway` op): the executor, not the function, makes the HTTP
// request, as Inngest's `handleGeneratorGateway` / `handleGeneratorAIGateway` do, and the answer becomes the step's
// result: `{ url, status_code, headers, body }` for a fetch, the parsed JSON body for an inference call.

export interface GatewayPayload {
  op: OutgoingOp;
}

type StepState = { data: unknown } | { error: { name: string; message: string; stack?: string } };

const GATEWAY_TIMEOUT_MS = 2 * 3_600_000;

export async function performGatewayRequest({ op }: GatewayPayload): Promise<StepState> {
  const opts = (op.opts ?? {}) as Record<string, unknown>;
  return op.op === "AIGateway" ? inferenceRequest(opts) : fetchRequest(opts);
}

async function fetchRequest(opts: Record<string, unknown>): Promise<StepState> {
  const url = String(opts.url ?? "");
  try {
    const response = await fetch(url, {
      method: String(opts.method ?? "GET"),
      headers: (opts.headers ?? {}) as Record<string, string>,
      body: typeof opts.body === "string" ? opts.body : undefined,
      signal: AbortSignal.timeout(GATEWAY_TIMEOUT_MS),
    });
    const headers: Record<string, string> = {};
    response.headers.forEach((value, key) => (headers[key] = value));
    return { data: { url, status_code: response.status, headers, body: await response.text() } };
  } catch (error) {
    return { error: { name: "GatewayError", message: `Error making gateway request: ${describe(error)}` } };
  }
}

/** Auth as Inngest's aigateway sends it per format: a Bearer token, Anthropic's x-api-key, Gemini's `key` query. */
async function inferenceRequest(opts: Record<string, unknown>): Promise<StepState> {
  const url = new URL(String(opts.url ?? ""));
  const headers: Record<string, string> = { "content-type": "application/json" };
  const authKey = typeof opts.auth_key === "string" ? opts.auth_key : "";
  if (opts.format === "gemini") url.searchParams.set("key", authKey);
  else if (opts.format === "anthropic") headers["x-api-key"] = authKey;
  else if (opts.format === "bedrock") headers.authorization = authKey;
  else headers.authorization = `Bearer ${authKey}`;
  Object.assign(headers, (opts.headers ?? {}) as Record<string, string>);
  let status = 0;
  let text = "";
  try {
    const response = await fetch(url, {
      method: "POST",
      headers,
      body: JSON.stringify(opts.body ?? {}),
      signal: AbortSignal.timeout(GATEWAY_TIMEOUT_MS),
    });
    status = response.status;
    text = await response.text();
    if (response.ok) return { data: JSON.parse(text) as unknown };
  } catch (error) {
    if (status === 0)
      return { error: { name: "AIGatewayError", message: `Error making AI request: ${describe(error)}` } };
  }
  return {
    error: {
      name: "AIGatewayError",
      message: `Error making AI request: unsuccessful status code: ${status}`,
      stack: text || '{"error":"Error making AI request"}',
    },
  };
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
