/**
 * What no field of ours takes: control characters (NUL among them, which Postgres cannot store in text),
 * invisible format characters such as bidi overrides and zero-width spaces (except the joiners that emoji and
 * some scripts are written with), lone surrogates, and U+FFFD (a character lost before it reached us).
 */
const UNPRINTABLE = /[\p{Cc}\p{Cs}\uFFFD]|(?![\u200C\u200D])\p{Cf}/u;

export function hasUnprintable(value: string): boolean {
  return UNPRINTABLE.test(value);
}

export const UNPRINTABLE_MESSAGE = "Remove the invisible or control characters.";
