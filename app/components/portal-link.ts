import { createContext, useContext } from "react";
import { embedPathFor, withHandle } from "~/routes/embed/paths";

/** The embed frame a page is rendered in (SPEC §6): its site, language and session handle. */
export interface EmbedFrame {
  site: string;
  lang: string;
  /** The `?h=` session handle of the current URL, carried on every link when cookies are blocked. */
  handle: string | null;
}

/** Provided by the embed layout; null on the portal itself. */
export const EmbedFrameContext = createContext<EmbedFrame | null>(null);

/**
 * Where a link to a portal page ("/en/ai-systems/x?y#z") goes from the page being rendered: the
 * same path on the portal; inside an embed frame its /embed/<site>/<lang>/… twin with the session
 * handle, so links keep working in the frame without JavaScript. A page without a twin keeps its
 * portal path (the embed link test lists every page, so none should).
 */
export function usePortalHref(): (portalPath: string) => string {
  const frame = useContext(EmbedFrameContext);
  return (portalPath) => (frame ? embedHref(portalPath, frame) : portalPath);
}

export function embedHref(portalPath: string, frame: EmbedFrame): string {
  const url = new URL(portalPath, "http://candor.invalid");
  const embedded = embedPathFor(url.pathname, frame.site, frame.lang);
  return embedded ? withHandle(embedded + url.search + url.hash, frame.handle) : portalPath;
}
