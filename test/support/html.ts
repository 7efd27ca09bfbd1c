/**
 * Reading server-rendered HTML in tests. Every page carries the app's stylesheet inline
 * (app/utils/inline-styles.ts), so a class name appears in every page's `<style>`: look for it in
 * class attributes instead of anywhere in the text.
 */

/** True when an element of `html` has `className` among its classes. */
export function hasClass(html: string, className: string): boolean {
  const escaped = className.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  return new RegExp(`\\bclass="(?:[^"]*\\s)?${escaped}(?:\\s[^"]*)?"`).test(html);
}
