// ts_headline's delimiters are control characters on purpose: page text never keeps them (extraction drops
// control characters), so they cannot be forged by a document.
/* eslint-disable no-control-regex */
const MATCH = /\u0002([^\u0003]*)\u0003/;
const STRAY_DELIMITER = /[\u0002\u0003]/g;
/* eslint-enable no-control-regex */

/**
 * A search snippet with the words the database matched marked. Postgres's ts_headline wraps them in \u0002 and
 * \u0003, so the text itself is rendered escaped, as text, and only they become <mark>.
 */
export function SearchSnippet({ text }: { text: string }) {
  const parts = text.split(MATCH);
  return <>{parts.map((part, i) => (i % 2 === 1 ? <mark key={i}>{part}</mark> : part.replace(STRAY_DELIMITER, "")))}</>;
}
