// A stand-in for text-embedding-3-small that needs no model: word unigrams, word bigrams and character
// trigrams, each hashed to a signed position among 1536, weighted, then L2-normalised. Texts that share words
// and phrases land close together, so semantic search over it behaves sensibly and deterministically.

export const EMBEDDING_DIMENSIONS = 1536;

const STOP_WORDS = new Set(
  "a an and are as at be by for from has have in is it its of on or that the this to was were will with i you we they he she not but".split(
    " ",
  ),
);

export function embedText(text: string, dimensions = EMBEDDING_DIMENSIONS): Float32Array {
  const vector = new Float32Array(dimensions);
  const words =
    text
      .toLowerCase()
      .normalize("NFKD")
      .match(/[\p{L}\p{N}]+/gu) ?? [];
  for (let i = 0; i < words.length; i++) {
    const word = words[i]!;
    const weight = STOP_WORDS.has(word) ? 0.2 : 1;
    add(vector, `w:${stem(word)}`, weight);
    if (i + 1 < words.length) add(vector, `b:${stem(word)} ${stem(words[i + 1]!)}`, 0.8 * weight);
    const padded = ` ${word} `;
    for (let j = 0; j + 3 <= padded.length; j++) add(vector, `c:${padded.slice(j, j + 3)}`, 0.25 * weight);
  }
  return normalise(vector);
}

/** Crude suffix stripping so "invoices" and "invoice" share a feature. */
function stem(word: string): string {
  return word.length > 4 ? word.replace(/(ing|ed|es|s)$/, "") : word;
}

function add(vector: Float32Array, feature: string, weight: number) {
  const hash = hashFeature(feature);
  const index = hash % vector.length;
  const sign = hash & 0x80000000 ? 1 : -1;
  vector[index] = vector[index]! + sign * weight;
}

/**
 * FNV-1a with a murmur3 finaliser: well spread and about fifty times cheaper than a cryptographic digest, which
 * matters because a 500-token chunk has a few thousand features.
 */
function hashFeature(feature: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < feature.length; i++) {
    hash ^= feature.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b);
  hash ^= hash >>> 13;
  hash = Math.imul(hash, 0xc2b2ae35);
  hash ^= hash >>> 16;
  return hash >>> 0;
}

function normalise(vector: Float32Array): Float32Array {
  let sum = 0;
  for (const value of vector) sum += value * value;
  const length = Math.sqrt(sum);
  if (length === 0) {
    vector[0] = 1; // an empty text still gets a valid unit vector
    return vector;
  }
  for (let i = 0; i < vector.length; i++) vector[i] = vector[i]! / length;
  return vector;
}

export function cosineSimilarity(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let dot = 0;
  for (let i = 0; i < a.length; i++) dot += a[i]! * b[i]!;
  return dot;
}
