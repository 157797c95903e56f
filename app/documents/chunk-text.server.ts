import { encode } from "gpt-tokenizer/encoding/cl100k_base";

export const MAX_CHUNK_TOKENS = 500;
const OVERLAP_TOKENS = 50;
// Room left in a chunk for the overlap and the paragraph breaks that join pieces.
const PIECE_BUDGET = MAX_CHUNK_TOKENS - OVERLAP_TOKENS - 10;
const JOIN_TOKENS = 2;

export interface TextChunk {
  index: number;
  /** The page of the chunk's first new text (its overlap may come from the page before). */
  pageNumber: number;
  content: string;
  tokenCount: number;
}

interface Piece {
  text: string;
  pageNumber: number;
  tokens: number;
}

/**
 * Splits pages into chunks of at most 500 tokens (cl100k, as text-embedding-3 counts them), each starting with
 * about 50 tokens from the end of the previous one for context. Paragraphs stay whole when they fit, else
 * sentences, else runs of words. Every word of the input appears in the chunks, in order.
 */
export function chunkPages(pages: string[]): TextChunk[] {
  const chunks: TextChunk[] = [];
  let parts: string[] = [];
  let tokens = 0;
  let pageNumber = 0;
  let hasNewText = false;

  const emit = () => {
    const content = parts.join("\n\n");
    chunks.push({ index: chunks.length, pageNumber, content, tokenCount: encode(content).length });
    const overlap = lastTokens(content, OVERLAP_TOKENS);
    parts = overlap ? [overlap] : [];
    tokens = overlap ? encode(overlap).length : 0;
    hasNewText = false;
  };

  for (const piece of pages.flatMap((page, i) => piecesOf(page, i + 1))) {
    // A chunk never spans two pages, so every passage found cites the one page it comes from.
    if (hasNewText && (piece.pageNumber !== pageNumber || tokens + JOIN_TOKENS + piece.tokens > MAX_CHUNK_TOKENS)) emit();
    if (!hasNewText) pageNumber = piece.pageNumber;
    parts.push(piece.text);
    tokens += (parts.length > 1 ? JOIN_TOKENS : 0) + piece.tokens;
    hasNewText = true;
  }
  if (hasNewText) emit();
  return chunks;
}

function piecesOf(page: string, pageNumber: number): Piece[] {
  return page
    .split(/\n\s*\n/)
    .map((paragraph) => paragraph.replace(/\s+/g, " ").trim())
    .filter(Boolean)
    .flatMap((paragraph) => fitToBudget(paragraph))
    .map((text) => ({ text, pageNumber, tokens: encode(text).length }));
}

/** The paragraph if it fits, else its sentences packed together, else runs of words. */
function fitToBudget(paragraph: string): string[] {
  if (encode(paragraph).length <= PIECE_BUDGET) return [paragraph];
  const sentences = paragraph.split(/(?<=[.!?])\s+/);
  const units = sentences.flatMap((sentence) => (encode(sentence).length <= PIECE_BUDGET ? [sentence] : wordRuns(sentence)));
  const packed: string[] = [];
  let buffer = "";
  for (const unit of units) {
    const candidate = buffer ? `${buffer} ${unit}` : unit;
    if (encode(candidate).length <= PIECE_BUDGET) buffer = candidate;
    else {
      packed.push(buffer);
      buffer = unit;
    }
  }
  if (buffer) packed.push(buffer);
  return packed.filter(Boolean);
}

function wordRuns(text: string): string[] {
  const runs: string[] = [];
  let run = "";
  for (const word of text.split(" ")) {
    const candidate = run ? `${run} ${word}` : word;
    if (run && encode(candidate).length > PIECE_BUDGET) {
      runs.push(run);
      run = word;
    } else run = candidate;
  }
  if (run) runs.push(run);
  return runs;
}

/** About the last `limit` tokens of text, starting at a word boundary. */
function lastTokens(text: string, limit: number): string {
  const words = text.split(/\s+/);
  let out = "";
  for (let i = words.length - 1; i >= 0; i--) {
    const candidate = out ? `${words[i]} ${out}` : words[i]!;
    if (encode(candidate).length > limit) break;
    out = candidate;
  }
  return out;
}
