/**
 * The server's side of app/utils/inline-styles.ts: the text of the build's app.css (the file the
 * client build emitted, read once) and its CSP source expression, so that every document's
 * Content-Security-Policy allows exactly that `<style>` (app/middleware/security.server.ts).
 */
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import stylesUrl from "~/styles/app.css?url";
import { provideInlineStyles } from "./inline-styles";

/** The bundled build's browser files: build/client beside build/server (as app/server.ts). */
const CLIENT_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../client");

/** The inlined stylesheet: its text as React writes it, and `'sha256-…'` of that text for style-src. */
export interface InlineStyles {
  text: string;
  cspSource: string;
}

let cached: InlineStyles | null | undefined;

/**
 * The app stylesheet of this build, read from its client files on first use; null under Vite's
 * development server (it serves and hot-reloads the file itself, linked by app/root.tsx). Throws
 * when a build has no such file or its text holds `<` (React would escape `</style`, and the
 * CSP hash would no longer match): a broken build must not start serving unstyled pages.
 */
export function inlineStyles(): InlineStyles | null {
  if (cached !== undefined) return cached;
  if (import.meta.env.DEV) return (cached = null);
  const text = fs.readFileSync(path.join(CLIENT_DIR, stylesUrl), "utf8");
  if (text.includes("<")) throw new Error(`${stylesUrl} holds "<": it cannot be inlined as it is`);
  cached = { text, cspSource: `'sha256-${createHash("sha256").update(text).digest("base64")}'` };
  return cached;
}

provideInlineStyles(() => inlineStyles()?.text ?? null);
