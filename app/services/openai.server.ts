import OpenAI from "openai";
import { env } from "~/env.server";

let client: OpenAI | undefined;

/** The OpenAI SDK; OPENAI_BASE_URL points it at the local emulator, else api.openai.com. */
export function openai(): OpenAI {
  // Inngest retries the step (honouring Retry-After); the SDK's own retries would double the waiting.
  client ??= new OpenAI({ apiKey: env().OPENAI_API_KEY, baseURL: env().OPENAI_BASE_URL, maxRetries: 0 });
  return client;
}
