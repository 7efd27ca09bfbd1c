/**
 * Text as the user typed and sees it: one rule for every length limit (server schemas, domain
 * checks and the browser's counter) and for search.
 */

/** CRLF (what browsers send for a textarea) and lone CR become LF: a line break is one character. */
export function normaliseLineBreaks(text: string): string {
  return text.replace(/\r\n?/g, "\n");
}

const graphemes = typeof Intl !== "undefined" && "Segmenter" in Intl ? new Intl.Segmenter("und", { granularity: "grapheme" }) : null;

/**
 * The length a person sees: extended grapheme clusters (Unicode UAX #29) — an emoji, a flag, a
 * family or a letter with its accents is one character — counted after normalising line breaks.
 * Runs the same in Node and in the browser (falls back to code points without Intl.Segmenter).
 */
export function textLength(text: string): number {
  const normalised = normaliseLineBreaks(text);
  // Plain ASCII without line-break pairs: one character per UTF-16 unit (the common, fast case).
  if (/^[\x20-\x7e\n\t]*$/.test(normalised)) return normalised.length;
  if (!graphemes) return [...normalised].length;
  let n = 0;
  for (const _ of graphemes.segment(normalised)) n++;
  return n;
}

/**
 * Code units that are a whole character each and join no neighbour (UAX #29: not Extend, ZWJ,
 * SpacingMark, Prepend, Regional_Indicator, Hangul, nor CR of CR LF): below U+0300 but CR, and
 * General Punctuation and Currency Symbols but ZWNJ/ZWJ — Latin text in every shipped language but Arabic.
 */
// eslint-disable-next-line no-control-regex -- control characters are whole characters too (UAX #29 GB4/GB5).
const SINGLE_UNIT_CHARACTERS = /^[\0-\x0c\x0e-\u02ff\u2000-\u200b\u200e-\u20cf]*$/;

/** At most `max` characters (textLength), ending in "…" when cut; never splits an emoji or accent. */
export function truncateText(text: string, max: number): string {
  // A character is at least one UTF-16 unit: a text no longer than `max` units always fits.
  if (text.length <= max) return text;
  // Units that are each one character and never join a neighbour (UAX #29): cut without segmenting.
  if (SINGLE_UNIT_CHARACTERS.test(text.slice(0, max + 1))) return `${text.slice(0, max - 1)}…`;
  if (!graphemes) return textLength(text) <= max ? text : `${[...text].slice(0, max - 1).join("")}…`;
  // Segment no further than the first character past `max`: a long text costs its cut, not its length.
  let out = "";
  let n = 0;
  for (const { segment } of graphemes.segment(text)) {
    if (++n > max) return `${out}…`;
    if (n < max) out += segment;
  }
  return text;
}

/**
 * Storage guard: a text within its limit in characters may still not take more than this many
 * UTF-16 units per allowed character (a long family emoji with skin tones is 11; text stacked with
 * hundreds of combining marks is refused as too long).
 */
export const MAX_UNITS_PER_CHARACTER = 16;

/** Within `max` characters (textLength) and within the storage guard. */
export function fitsLength(text: string, max: number): boolean {
  return text.length <= max * MAX_UNITS_PER_CHARACTER && textLength(text) <= max;
}

// Letters that carry their difference in the letter itself, not in a combining mark, folded to
// the base letter people type without the accent (Polish ł, Turkish ı, Nordic ø, …).
const FOLDS: Record<string, string> = { ł: "l", ı: "i", ø: "o", đ: "d", ð: "d", ħ: "h", ŧ: "t", ß: "ss", æ: "ae", œ: "oe", ς: "σ" };
const FOLDABLE = new RegExp(`[${Object.keys(FOLDS).join("")}]`, "g");

/**
 * The search form of a text, for case- and accent-insensitive search in every language: NFKD
 * (compatibility forms and precomposed letters split: "Ü" → "U" + ◌̈, "ﬁ" → "fi"), combining marks
 * and the Arabic tatweel removed (accents, Greek tonos, Arabic harakat and hamza marks),
 * lower-cased without a locale's special rules (Turkish "İ" → "i"), a few letters folded
 * (ł → l, ı → i, ß → ss, final ς → σ), whitespace runs made one space. Applied alike to the
 * stored column and to the query, so `überweisung`, `UBERWEISUNG` and `Überweisung` meet.
 * Transliterations ("ue" for "ü") are not made.
 */
export function searchKey(text: string): string {
  return text
    .normalize("NFKD")
    .replace(/[\p{M}\u0640]/gu, "")
    .toLowerCase()
    .replace(FOLDABLE, (c) => FOLDS[c]!)
    .normalize("NFKD")
    .replace(/\p{M}/gu, "")
    .replace(/\s+/g, " ")
    .trim();
}

/** A search word longer than this many characters is cut (index entries stay small; a prefix still finds it). */
export const SEARCH_WORD_MAX = 60;

/**
 * The words of a text as search compares them: the folded text (`searchKey`) split at every
 * character that is neither a letter nor a digit (Unicode: spaces, punctuation such as „ « — ’ ،,
 * symbols, `_`, `%`), each word cut to SEARCH_WORD_MAX characters. The same split serves the
 * stored column and the query, so the two engines' indexes (which split only at ASCII spaces and
 * punctuation) see exactly these words. A text with no letter or digit has no words.
 */
export function searchWords(text: string): string[] {
  return searchKey(text)
    .split(/[^\p{L}\p{N}]+/u)
    .filter((word) => word !== "")
    .map((word) => (word.length > SEARCH_WORD_MAX ? [...word].slice(0, SEARCH_WORD_MAX).join("") : word));
}

/**
 * The stored search form of a concern (`concerns.search_text`): the words (`searchWords`) of its
 * reference and texts, separated by single spaces.
 */
export function concernSearchText(concern: { ref: string; description: string; desiredOutcome: string }): string {
  return searchWords(`${concern.ref}\n${concern.description}\n${concern.desiredOutcome}`).join(" ");
}
