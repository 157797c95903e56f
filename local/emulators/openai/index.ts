import type { FetchHandler } from "../../http/serve-fetch-handler";
import { json, Router } from "../../http/router";
import { serveFetchHandler } from "../../http/serve-fetch-handler";
import { encode } from "gpt-tokenizer/encoding/cl100k_base";
import { FaultInjector } from "../faults";
import { EMBEDDING_DIMENSIONS, embedText } from "./deterministic-embedder";

const MODELS = new Set(["text-embedding-3-small", "text-embedding-3-large", "text-embedding-ada-002"]);
const MAX_INPUTS = 2048;
const MAX_TOKENS_PER_INPUT = 8191;

export interface OpenAIEmulatorOptions {
  apiKey: string;
}

const error = (status: number, message: string, type: string, code: string | null, param: string | null = null) =>
  json({ error: { message, type, param, code } }, status);

/** OpenAI's `POST /v1/embeddings`, answered by the deterministic embedder, in the API's own shapes. */
export function createOpenAIEmulator(options: OpenAIEmulatorOptions) {
  const faults = new FaultInjector();
  const router = new Router();
  let requests = 0;

  router.post("/v1/embeddings", async (request) => {
    const auth = request.headers.get("authorization");
    if (!auth)
      return error(
        401,
        "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY).",
        "invalid_request_error",
        null,
      );
    if (auth !== `Bearer ${options.apiKey}`)
      return error(401, "Incorrect API key provided.", "invalid_request_error", "invalid_api_key");
    const fault = faults.take();
    if (fault) {
      const headers: Record<string, string> =
        fault.retryAfter !== undefined ? { "retry-after": String(fault.retryAfter) } : {};
      const message =
        fault.status === 429
          ? "Rate limit reached for text-embedding-3-small. Please try again later."
          : "The server had an error while processing your request.";
      return json(
        {
          error: {
            message,
            type: fault.status === 429 ? "requests" : "server_error",
            param: null,
            code: fault.status === 429 ? "rate_limit_exceeded" : null,
          },
        },
        fault.status,
        headers,
      );
    }
    requests += 1;
    const body = (await request.json().catch(() => null)) as {
      input?: unknown;
      model?: unknown;
      dimensions?: unknown;
      encoding_format?: unknown;
    } | null;
    if (!body) return error(400, "We could not parse the JSON body of your request.", "invalid_request_error", null);
    if (typeof body.model !== "string" || !MODELS.has(body.model)) {
      return error(
        404,
        `The model \`${String(body.model)}\` does not exist or you do not have access to it.`,
        "invalid_request_error",
        "model_not_found",
      );
    }
    const inputs = typeof body.input === "string" ? [body.input] : body.input;
    if (!Array.isArray(inputs) || inputs.length === 0 || inputs.some((i) => typeof i !== "string")) {
      return error(
        400,
        "'input' must be a string or a non-empty array of strings.",
        "invalid_request_error",
        null,
        "input",
      );
    }
    if (inputs.length > MAX_INPUTS) {
      return error(
        400,
        `'input' : maximum ${MAX_INPUTS} inputs per request, got ${inputs.length}.`,
        "invalid_request_error",
        null,
        "input",
      );
    }
    const dimensions = body.dimensions === undefined ? EMBEDDING_DIMENSIONS : Number(body.dimensions);
    if (!Number.isInteger(dimensions) || dimensions < 1 || dimensions > EMBEDDING_DIMENSIONS) {
      return error(
        400,
        `'dimensions' must be an integer between 1 and ${EMBEDDING_DIMENSIONS}.`,
        "invalid_request_error",
        null,
        "dimensions",
      );
    }
    let totalTokens = 0;
    const data = [];
    for (const [index, text] of (inputs as string[]).entries()) {
      const tokens = encode(text).length;
      if (tokens > MAX_TOKENS_PER_INPUT) {
        return error(
          400,
          `This model's maximum context length is ${MAX_TOKENS_PER_INPUT} tokens, however you requested ${tokens} tokens (input ${index}). Please reduce your prompt.`,
          "invalid_request_error",
          null,
          "input",
        );
      }
      totalTokens += tokens;
      const vector = embedText(text, dimensions);
      data.push({
        object: "embedding",
        index,
        embedding:
          body.encoding_format === "base64"
            ? Buffer.from(vector.buffer, vector.byteOffset, vector.byteLength).toString("base64")
            : Array.from(vector),
      });
    }
    return json({
      object: "list",
      data,
      model: body.model,
      usage: { prompt_tokens: totalTokens, total_tokens: totalTokens },
    });
  });

  router.post("/__faults", (request) => faults.handleControl(request));
  router.get("/__stats", () => json({ embeddingRequests: requests }));

  const handler: FetchHandler = router.handler(() =>
    error(404, "Unknown request URL.", "invalid_request_error", "unknown_url"),
  );
  return { handler, faults, requestCount: () => requests };
}

export async function startOpenAIEmulator(options: OpenAIEmulatorOptions & { port: number }) {
  const emulator = createOpenAIEmulator(options);
  const server = await serveFetchHandler(emulator.handler, options.port);
  return { ...server, ...emulator };
}
