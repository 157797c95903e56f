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
    parts = overlap.text ? [overlap.text] : [];
    tokens = overlap.text ? overlap.tokens : 0;
    hasNewText = false;
  };

  for (const piece of pages.flatMap((page, i) => piecesOf(page, i + 1))) {
    // A chunk never spans two pages, so every passage found cites the one page it comes from.
    if (hasNewText && (piece.pageNumber !== pageNumber || tokens + JOIN_TOKENS + piece.tokens > MAX_CHUNK_TOKENS))
      emit();
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
    .map((piece) => ({ ...piece, pageNumber }));
}

// Token counts add up across a single space: cl100k's pre-tokenizer never lets a piece of text run from a
// non-space character over the space after it, so `tokens("a b") = tokens("a") + tokens(" b")` exactly for any
// texts a and b without surrounding whitespace. Counting each sentence or word once and adding keeps chunking
// linear in the text instead of re-encoding every growing candidate.
const spaced = (text: string) => encode(` ${text}`).length;

/** The paragraph if it fits, else its sentences packed together, else runs of words; each with its tokens. */
function fitToBudget(paragraph: string): Array<{ text: string; tokens: number }> {
  const whole = encode(paragraph).length;
  if (whole <= PIECE_BUDGET) return [{ text: paragraph, tokens: whole }];
  const sentences = paragraph.split(/(?<=[.!?])\s+/);
  const units = sentences.flatMap((sentence) => {
    const tokens = encode(sentence).length;
    return tokens <= PIECE_BUDGET ? [{ text: sentence, tokens }] : wordRuns(sentence);
  });
  return packed(units);
}

/** Units joined by single spaces into as few pieces of at most PIECE_BUDGET tokens as keeps their order. */
function packed(units: Array<{ text: string; tokens: number }>): Array<{ text: string; tokens: number }> {
  const out: Array<{ text: string; tokens: number }> = [];
  let buffer = "";
  let tokens = 0;
  for (const unit of units) {
    const candidate = buffer ? tokens + spaced(unit.text) : unit.tokens;
    if (candidate <= PIECE_BUDGET) {
      buffer = buffer ? `${buffer} ${unit.text}` : unit.text;
      tokens = candidate;
    } else {
      out.push({ text: buffer, tokens });
      buffer = unit.text;
      tokens = unit.tokens;
    }
  }
  if (buffer) out.push({ text: buffer, tokens });
  return out.filter((piece) => piece.text);
}

function wordRuns(text: string): Array<{ text: string; tokens: number }> {
  const runs: Array<{ text: string; tokens: number }> = [];
  let run = "";
  let tokens = 0;
  for (const word of text.split(" ")) {
    const candidate = run ? tokens + spaced(word) : encode(word).length;
    if (run && candidate > PIECE_BUDGET) {
      runs.push({ text: run, tokens });
      run = word;
      tokens = encode(word).length;
    } else {
      run = run ? `${run} ${word}` : word;
      tokens = candidate;
    }
  }
  if (run) runs.push({ text: run, tokens });
  return runs;
}

/** About the last `limit` tokens of text, starting at a word boundary, and its token count. */
function lastTokens(text: string, limit: number): { text: string; tokens: number } {
  const words = text.split(/\s+/);
  let start = words.length;
  let tokens = 0;
  for (let i = words.length - 1; i >= 0; i--) {
    // Adding a word in front: it counts alone, and the word that was first now counts with its space.
    const candidate =
      tokens -
      (start < words.length ? encode(words[start]!).length - spaced(words[start]!) : 0) +
      encode(words[i]!).length;
    if (candidate > limit) break;
    start = i;
    tokens = candidate;
  }
  return { text: words.slice(start).join(" "), tokens };
}
