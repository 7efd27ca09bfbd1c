/**
 * Which portal pages have an embedded twin under /embed/<site>/<lang>/…, and back again.
 * Pure functions, shared by the embed layout (client-side link handling) and its actions.
 */
import { EMBED_HANDLE_PARAM } from "~/domain/vocabulary";

/** Portal path after the language → embed path after /embed/<site>/<lang>. */
const TWINS: Array<[RegExp, (m: RegExpMatchArray) => string]> = [
  [/^$/, () => ""],
  [/^ai-systems$/, () => "ai-systems"],
  [/^ai-systems\/([^/]+)$/, (m) => `ai-systems/${m[1]}`],
  [/^me\/concerns\/new$/, () => "concerns/new"],
  [/^concerns\/track\/([^/]+)$/, (m) => `concerns/track/${m[1]}`],
  [/^me\/preferences$/, () => "me/preferences"],
  [/^me\/concerns\/([^/]+)$/, (m) => `me/concerns/${m[1]}`],
  [/^me\/concerns$/, () => "me/concerns"],
  [/^me\/interactions$/, () => "me/interactions"],
  [/^me\/confirmations\/([^/]+)$/, (m) => `me/confirmations/${m[1]}`],
  [/^me\/data$/, () => "me/data"],
  [/^me\/data\/export\.json$/, () => "me/data/export.json"],
  [/^me\/data\/receipts\/([^/]+)$/, (m) => `me/data/receipts/${m[1]}`],
];

export const HANDLE_PARAM = EMBED_HANDLE_PARAM;

export function embedBase(site: string, lang: string): string {
  return `/embed/${encodeURIComponent(site)}/${lang}`;
}

/** "/en/me/concerns/new" → "/embed/<site>/en/concerns/new"; null when the page is not embeddable. */
export function embedPathFor(portalPath: string, site: string, lang: string): string | null {
  const prefix = `/${lang}`;
  if (portalPath !== prefix && !portalPath.startsWith(`${prefix}/`)) return null;
  const rest = portalPath.slice(prefix.length).replace(/^\/|\/$/g, "");
  for (const [pattern, to] of TWINS) {
    const m = rest.match(pattern);
    if (m) {
      const target = to(m);
      return target ? `${embedBase(site, lang)}/${target}` : embedBase(site, lang);
    }
  }
  return null;
}

/** "/embed/<site>/en/concerns/new" → "/en/me/concerns/new" (the "open in a new tab" target). */
export function portalPathFor(embedPath: string): string {
  const [, , , lang = "en", ...rest] = embedPath.split("/");
  const tail = rest.join("/");
  return tail === "concerns/new" ? `/${lang}/me/concerns/new` : tail ? `/${lang}/${tail}` : `/${lang}`;
}

/** Adds the session handle (if any) to a path that may already have a query and a hash. */
export function withHandle(pathWithQuery: string, handle: string | null): string {
  if (!handle) return pathWithQuery;
  const url = new URL(pathWithQuery, "http://x.invalid");
  url.searchParams.set(HANDLE_PARAM, handle);
  return url.pathname + url.search + url.hash;
}
