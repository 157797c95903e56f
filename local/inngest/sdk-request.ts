import { MAX_STEP_OUTPUT_BYTES, SDK_REQUEST_TIMEOUT_MS, stepOutputTooLargeError } from "./limits";
import { sendRequest, type AppResponse } from "./send-request";
import { signRequestBody } from "./signing";
import type { OutgoingOp } from "./types";

export interface SdkCall {
  url: string;
  fnId: string;
  stepId: string;
  body: unknown;
  runId: string;
  signingKey?: string;
  /** The wall-clock time the signature carries. */
  signedAtMs: number;
}

/** Every outcome carries the request's size (the run's state as sent) and the size of the answer's results. */
export type SdkOutcome = { requestBytes: number; outputBytes: number } & (
  | { kind: "complete"; output: unknown }
  | { kind: "ops"; ops: OutgoingOp[]; noRetry: boolean; retryAfter: string | null }
  | { kind: "error"; error: unknown; retriable: boolean; retryAfter: string | null }
);

/** One executor → SDK request and its answer (docs/inngest-protocol.md, sections 2 and 3). */
export async function callSdk(call: SdkCall): Promise<SdkOutcome> {
  const payload = JSON.stringify(call.body);
  const requestBytes = Buffer.byteLength(payload);
  const { answer, responseBytes } = await requestAndRead(call, payload);
  // The answer's size stands for the results it adds to the run's state; only an answer over 4 MB can hold an
  // output over the limit, so the ops are measured one by one only then.
  const oversized = responseBytes > MAX_STEP_OUTPUT_BYTES ? oversizedOutput(answer) : null;
  return { requestBytes, outputBytes: responseBytes, ...(oversized ?? answer) } as SdkOutcome;
}

type Answer =
  | Omit<Extract<SdkOutcome, { kind: "complete" }>, "requestBytes" | "outputBytes">
  | Omit<Extract<SdkOutcome, { kind: "ops" }>, "requestBytes" | "outputBytes">
  | Omit<Extract<SdkOutcome, { kind: "error" }>, "requestBytes" | "outputBytes">;

/**
 * Inngest validates every op of an answer (`GeneratorOpcode.Validate`): one whose output is over 4 MB makes the
 * whole answer an error, which is retried like any failed request. Also sizes the answer's results.
 */
function oversizedOutput(answer: Answer): Answer | null {
  if (answer.kind === "error") return null;
  const outputs: Array<[string, unknown]> =
    answer.kind === "complete" ? [["function", answer.output]] : answer.ops.map((op) => [op.id, op.data]);
  for (const [id, data] of outputs) {
    const bytes = data === undefined ? 0 : Buffer.byteLength(JSON.stringify(data));
    if (bytes > MAX_STEP_OUTPUT_BYTES)
      return { kind: "error", error: stepOutputTooLargeError(id, bytes), retriable: true, retryAfter: null };
  }
  return null;
}

async function requestAndRead(call: SdkCall, payload: string): Promise<{ answer: Answer; responseBytes: number }> {
  const size = { responseBytes: 0 };
  const answer = await request(call, payload, size);
  return { answer, responseBytes: size.responseBytes };
}

async function request(call: SdkCall, payload: string, size: { responseBytes: number }): Promise<Answer> {
  const url = new URL(call.url);
  url.searchParams.set("fnId", call.fnId);
  url.searchParams.set("stepId", call.stepId);
  const headers: Record<string, string> = {
    "content-type": "application/json",
    "x-inngest-server-kind": call.signingKey ? "cloud" : "dev",
    "x-inngest-req-version": "2",
    "x-run-id": call.runId,
  };
  if (call.signingKey)
    headers["x-inngest-signature"] = signRequestBody(call.body, call.signingKey, Math.floor(call.signedAtMs / 1000));

  let response: AppResponse;
  try {
    response = await sendRequest("POST", url, headers, payload, SDK_REQUEST_TIMEOUT_MS);
  } catch (error) {
    const message = `Could not reach ${url.origin}${url.pathname}: ${error instanceof Error ? error.message : String(error)}`;
    return { kind: "error", error: { name: "NetworkError", message }, retriable: true, retryAfter: null };
  }
  const { text } = response;
  size.responseBytes = text.length;
  const body = parseJson(text);
  const noRetry = response.header("x-inngest-no-retry") === "true";
  const retryAfter = response.header("retry-after");

  if (response.ok && !response.header("x-inngest-sdk")) {
    const message = `${url.origin}${url.pathname} answered ${response.status} but is not an Inngest SDK endpoint`;
    return { kind: "error", error: { name: "NotAnSdk", message }, retriable: true, retryAfter: null };
  }
  if (response.status === 200) return { kind: "complete", output: body ?? null };
  if (response.status === 206) {
    if (!Array.isArray(body))
      return {
        kind: "error",
        error: { name: "ProtocolError", message: "206 without an op list" },
        retriable: true,
        retryAfter,
      };
    return { kind: "ops", ops: body as OutgoingOp[], noRetry, retryAfter };
  }
  const error = body && typeof body === "object" ? body : { name: "Error", message: text || `HTTP ${response.status}` };
  const retriable =
    !noRetry &&
    !(response.status >= 400 && response.status < 500 && response.status !== 429 && response.status !== 408);
  return { kind: "error", error, retriable, retryAfter };
}

function parseJson(text: string): unknown {
  if (!text) return null;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
