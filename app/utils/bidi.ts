/**
 * Bidirectional text. A value written in another direction than the page (an English subject
 * in an Arabic sentence, a date next to it, a reference like "NL-100037") is wrapped in Unicode
 * isolates (FSI … PDI, the plain-text <bdi>), so it neither reorders nor drags the punctuation
 * around it. Use it for values put into translated strings and into <option> labels, where
 * markup is not possible; in markup, prefer <bdi> or dir="auto".
 */
export function isolate(value: string): string {
  return `\u2068${value}\u2069`;
}
