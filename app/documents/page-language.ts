// Whether extracted text reads as language, and which. A page whose font has a wrong ToUnicode table
// extracts as symbols or as letters in nonsense order; a scan extracts as nothing. Both render fine, so they
// are worth reading with OCR instead of indexing as garbage.

/** The text search configurations the database defines (see the document_search migration). */
export type SearchLanguage = "english" | "french" | "simple";

// The most frequent short words of each language: any running text is full of them, symbol soup has none.
const STOPWORDS: Record<Exclude<SearchLanguage, "simple">, Set<string>> = {
  english: new Set(
    "the of and to a in is that for it as was with be by on not he this are or his from at which but have an they you were her she there their one all we can has been if more when will would who so no its into may than them these our other only such what any also".split(
      " ",
    ),
  ),
  french: new Set(
    "le la les de des du un une et est en que qui dans pour pas sur au aux il elle ne se ce ces sont par plus avec son sa ses leur mais ou nous vous on été être fait comme cette tout aussi d l à".split(
      " ",
    ),
  ),
};
// Common words of other Latin-script languages, so a German or Spanish page counts as language too.
const OTHER_STOPWORDS = new Set(
  "der die das und ist nicht mit von zu den ein eine auch auf für el los las y del que en por con para una es lo il di che non per gli della".split(
    " ",
  ),
);

const WORD = /[\p{L}\p{M}]+(?:['’][\p{L}\p{M}]+)*/gu;

function words(text: string): string[] {
  return (text.toLowerCase().match(WORD) ?? []).flatMap((word) => word.split(/['’]/));
}

/** Below this many letters a page is not running text (a title, a page number, a stamped footer). */
const MIN_LETTERS = 12;
/**
 * A font whose ToUnicode map has no entry for its glyphs can extract each word as blanks, leaving the odd
 * heading and stray punctuation that read as language. Running text is about one part blank in six; such pages
 * (pages 2–22 of pdf.js's TAMReview.pdf) are over half blanks.
 */
const MAX_BLANK_SHARE = 0.45;

/**
 * How a page's extracted text reads. `language`: words of a language, index it. `sparse`: a few clean words
 * (a title page, "Page 3 of 10" stamped on a scan), kept, and worth an OCR look in case the page holds more.
 * `garbage`: nothing, symbols or letters in nonsense order, never indexed; OCR is its only chance.
 */
export type PageTextQuality = "language" | "sparse" | "garbage";

/**
 * Language is mostly letters, digits and punctuation (not symbols or private-use characters), its words have
 * vowels, and running text is full of short function words. Short label-like text (a form) passes on its
 * letters alone.
 */
export function pageTextQuality(text: string): PageTextQuality {
  const visible = text.replace(/\s+/g, "");
  const letters = visible.match(/[\p{L}\p{M}]/gu)?.length ?? 0;
  if (letters === 0) return "garbage";
  const plain = visible.match(/[\p{L}\p{M}\p{N}\p{P}$€£%+=<>|~^`]/gu)?.length ?? 0;
  if (plain / visible.length < 0.85) return "garbage";
  const blanks = text.match(/[^\S\n]/g)?.length ?? 0;
  if (blanks / (blanks + visible.length) > MAX_BLANK_SHARE) return "garbage";
  const all = words(text);
  const voweled = all.filter((word) => /[aeiouyàâäéèêëîïôöûùüÿæœ]/.test(word)).length;
  if (voweled / all.length < 0.8) return "garbage";
  if (letters < MIN_LETTERS) return "sparse";
  const common = all.filter(
    (word) => STOPWORDS.english.has(word) || STOPWORDS.french.has(word) || OTHER_STOPWORDS.has(word),
  ).length;
  // Running text has a function word in every four or five; a page of labels and numbers may have few.
  const reads = all.length < 60 ? common > 0 || all.length < 25 : common / all.length >= 0.08;
  return reads ? "language" : "garbage";
}

/** True when the text reads as running text or labels of a language, enough to index a page by. */
export function readsAsLanguage(text: string): boolean {
  return pageTextQuality(text) === "language";
}

/** The language most of the text is in, by its function words; `simple` (no stemming) when neither fits. */
export function detectLanguage(text: string): SearchLanguage {
  const all = words(text);
  if (all.length === 0) return "simple";
  const share = (language: keyof typeof STOPWORDS) =>
    all.filter((word) => STOPWORDS[language].has(word)).length / all.length;
  const english = share("english");
  const french = share("french");
  if (Math.max(english, french) < 0.05) return "simple";
  return french > english ? "french" : "english";
}
