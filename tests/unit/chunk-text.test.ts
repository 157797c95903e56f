import { encode } from "gpt-tokenizer/encoding/cl100k_base";
import { describe, expect, it } from "vitest";
import { chunkPages, MAX_CHUNK_TOKENS } from "../../app/documents/chunk-text.server";

const words = (n: number, seed: string) => Array.from({ length: n }, (_, i) => `${seed}${i}`).join(" ");

/** The text with each chunk's overlap (a suffix of the previous chunk) removed, to compare with the input. */
function withoutOverlap(chunks: { content: string }[]): string[] {
  const all: string[] = [];
  chunks.forEach((chunk, i) => {
    const tokens = chunk.content.split(/\s+/);
    if (i === 0) return all.push(...tokens);
    const previous = chunks[i - 1]!.content.split(/\s+/);
    let overlap = 0;
    for (let n = Math.min(tokens.length, previous.length); n > 0; n--) {
      if (previous.slice(-n).join(" ") === tokens.slice(0, n).join(" ")) {
        overlap = n;
        break;
      }
    }
    all.push(...tokens.slice(overlap));
  });
  return all;
}

describe("chunking", () => {
  it("keeps every chunk within 500 tokens and covers all the words in order", () => {
    const pages = [
      `${words(120, "a")}.\n\n${words(300, "b")}.`,
      `${words(900, "c")}. ${words(50, "d")}.`,
      "Short last page.",
    ];
    const chunks = chunkPages(pages);
    expect(chunks.length).toBeGreaterThan(3);
    for (const chunk of chunks) {
      expect(encode(chunk.content).length).toBeLessThanOrEqual(MAX_CHUNK_TOKENS);
      expect(chunk.tokenCount).toBe(encode(chunk.content).length);
    }
    const input = pages.join(" ").split(/\s+/).filter(Boolean);
    expect(withoutOverlap(chunks)).toEqual(input);
  });

  it("records the page each chunk's new text starts on and carries about 50 tokens of overlap", () => {
    const chunks = chunkPages([words(90, "p1x"), words(90, "p2x")]);
    expect(chunks.map((c) => c.pageNumber)).toEqual([1, 2]);
    const overlap = chunks[1]!.content.split(/\s+/).filter((w) => w.startsWith("p1x"));
    expect(encode(overlap.join(" ")).length).toBeGreaterThan(30);
    expect(encode(overlap.join(" ")).length).toBeLessThanOrEqual(50);
  });

  it("keeps a paragraph whole when it fits", () => {
    const chunks = chunkPages(["First paragraph here.\n\nSecond paragraph there."]);
    expect(chunks).toEqual([
      {
        index: 0,
        pageNumber: 1,
        content: "First paragraph here.\n\nSecond paragraph there.",
        tokenCount: expect.any(Number),
      },
    ]);
  });
});
