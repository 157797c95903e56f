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
  nowMs: number;
}

export type SdkOutcome =
  | { kind: "complete"; output: unknown }
  | { kind: "ops"; ops: OutgoingOp[]; noRetry: boolean; retryAfter: string | null }
  | { kind: "error"; error: unknown; retriable: boolean; retryAfter: string | null };

/** One executor → SDK request and its answer (docs/inngest-protocol.md, sections 2 and 3). */
export async function callSdk(call: SdkCall): Promise<SdkOutcome> {
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
    headers["x-inngest-signature"] = signRequestBody(call.body, call.signingKey, Math.floor(call.nowMs / 1000));

  let response: AppResponse;
  try {
    response = await sendRequest("POST", url, headers, JSON.stringify(call.body), 300_000);
  } catch (error) {
    const message = `Could not reach ${url.origin}${url.pathname}: ${error instanceof Error ? error.message : String(error)}`;
    return { kind: "error", error: { name: "NetworkError", message }, retriable: true, retryAfter: null };
  }
  const { text } = response;
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
