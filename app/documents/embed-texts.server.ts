import { RetryAfterError } from "inngest";
import OpenAI from "openai";
import { openai } from "~/services/openai.server";

export const EMBEDDING_MODEL = "text-embedding-3-small";
const MAX_INPUTS_PER_REQUEST = 2048;
// OpenAI caps a request's total tokens; stay well below it.
const MAX_TOKENS_PER_REQUEST = 250_000;

/**
 * Embeddings for many texts in as few requests as the API allows (never one request per text), returned in
 * input order. The SDK's default base64 encoding halves the bytes on the wire.
 */
export async function embedTexts(texts: Array<{ content: string; tokenCount: number }>): Promise<number[][]> {
  const embeddings: number[][] = [];
  for (const batch of batches(texts)) {
    const response = await openai()
      .embeddings.create({ model: EMBEDDING_MODEL, input: batch.map((t) => t.content) })
      .catch(rethrowRateLimit);
    for (const item of [...response.data].sort((a, b) => a.index - b.index)) embeddings.push(item.embedding);
  }
  return embeddings;
}

/** A 429 becomes a RetryAfterError, so Inngest waits as long as OpenAI asked instead of its own backoff. */
function rethrowRateLimit(error: unknown): never {
  if (error instanceof OpenAI.APIError && error.status === 429) {
    const seconds = Number(error.headers?.get("retry-after"));
    throw new RetryAfterError(
      `OpenAI rate limit: ${error.message}`,
      Number.isFinite(seconds) && seconds > 0 ? seconds * 1_000 : 20_000,
      { cause: error },
    );
  }
  throw error;
}

function batches<T extends { tokenCount: number }>(items: T[]): T[][] {
  const out: T[][] = [];
  let current: T[] = [];
  let tokens = 0;
  for (const item of items) {
    if (
      current.length === MAX_INPUTS_PER_REQUEST ||
      (current.length > 0 && tokens + item.tokenCount > MAX_TOKENS_PER_REQUEST)
    ) {
      out.push(current);
      current = [];
      tokens = 0;
    }
    current.push(item);
    tokens += item.tokenCount;
  }
  if (current.length > 0) out.push(current);
  return out;
}

/**
 * pgvector's text form, `[0.1,0.2,...]`. pgvector stores 4-byte floats, and nine significant digits identify
 * any of them exactly; JavaScript's own float64 form (up to 17 digits) makes each vector about half as long
 * again to send and for Postgres to parse.
 */
export function toVectorLiteral(embedding: ArrayLike<number>): string {
  const values = new Array<string>(embedding.length);
  for (let i = 0; i < embedding.length; i++) {
    const value = Math.fround(embedding[i]!);
    values[i] = value === 0 ? "0" : value.toPrecision(9);
  }
  return `[${values.join(",")}]`;
}
