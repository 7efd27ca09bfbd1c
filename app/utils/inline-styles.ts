/**
 * The app's stylesheet travels inside every page's `<head>` (app/root.tsx) instead of as a file
 * the first paint waits for (SPEC §10 "Pages": Lighthouse). Its text is the server's alone
 * (app/utils/inline-styles.server.ts reads the build's CSS file once): the browser's bundle never
 * carries it. The browser renders the same `<style href precedence>` element without text; React
 * treats such an element as a resource keyed by `href` and keeps the one the server sent, so
 * hydration neither compares nor replaces its content.
 */

let source: (() => string | null) | undefined;

/** Server only: where the stylesheet's text comes from (called once, at startup). */
export function provideInlineStyles(read: () => string | null): void {
  source = read;
}

/**
 * The stylesheet's text for the page being rendered: the build's CSS on the server, null in the
 * browser and under the development server (which serves the file itself).
 */
export function inlineStylesText(): string | null {
  return source?.() ?? null;
}
