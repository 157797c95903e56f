import { setupServer } from "msw/node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LOCAL_DEFAULTS } from "../../contracts/local-defaults";
import { createOpenAIEmulator } from "../../local/emulators/openai/index";
import { mswHandlersFor } from "../../local/http/msw-handlers";

// The OpenAI emulator's handler mounted in MSW: the app's embedding code runs against the same API shapes as in
// dev and e2e, without a port.
const BASE = "https://api.openai.test/v1";
const emulator = createOpenAIEmulator({ apiKey: LOCAL_DEFAULTS.OPENAI_API_KEY });
const server = setupServer(...mswHandlersFor(BASE.replace(/\/v1$/, ""), emulator.handler));

beforeAll(() => {
  process.env.OPENAI_BASE_URL = BASE;
  server.listen({ onUnhandledRequest: "error" });
});
afterAll(() => server.close());

describe("embedding texts", () => {
  it("embeds many chunks in one request and keeps their order", async () => {
    const { embedTexts } = await import("../../app/documents/embed-texts.server");
    const texts = Array.from({ length: 40 }, (_, i) => ({
      content: `chunk number ${i} about topic ${i % 3}`,
      tokenCount: 8,
    }));
    const embeddings = await embedTexts(texts);
    expect(embeddings).toHaveLength(40);
    expect(embeddings.every((e) => e.length === 1536)).toBe(true);
    expect(emulator.requestCount()).toBe(1);
    const [again] = await embedTexts([texts[7]!]);
    expect(again).toEqual(embeddings[7]);
  });

  it("splits a batch that would pass the per-request token budget", async () => {
    const { embedTexts } = await import("../../app/documents/embed-texts.server");
    const before = emulator.requestCount();
    await embedTexts(Array.from({ length: 3 }, () => ({ content: "long text", tokenCount: 200_000 })));
    expect(emulator.requestCount() - before).toBe(3);
  });
});
