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
 * Storage guard: a text within its limit in characters may still not take more than this many
 * UTF-16 units per allowed character (a long family emoji with skin tones is 11; text stacked with
 * hundreds of combining marks is refused as too long).
 */
export const MAX_UNITS_PER_CHARACTER = 16;

/** Within `max` characters (textLength) and within the storage guard. */
export function fitsLength(text: string, max: number): boolean {
  return text.length <= max * MAX_UNITS_PER_CHARACTER && textLength(text) <= max;
}
