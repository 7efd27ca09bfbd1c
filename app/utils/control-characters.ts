// Matching control characters is the point here.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001F\u007F-\u009F]/;

/**
 * True when `text` holds a C0 or C1 control character or DEL (tab, CR, LF, NUL, …): such text
 * cannot be part of a page address or a header value, and must not reach logs unescaped.
 */
export function hasControlCharacter(text: string): boolean {
  return CONTROL.test(text);
}
