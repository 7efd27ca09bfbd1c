import { randomBytes } from "node:crypto";
import { data, type MiddlewareFunction } from "react-router";
import { embedSiteContext, nonceContext, servicesContext } from "~/context";
import { findEmbedSite, frameAncestors } from "~/domain/embed-sites.server";
import type { Db } from "~/utils/db.server";
import { inlineStyles } from "~/utils/inline-styles.server";
import { isSameOriginRequest } from "~/utils/same-origin";
import { COMMON_SECURITY_HEADERS } from "~/utils/security-headers";

/** /embed/<site>/… pages may be framed by that site's registered origins (SPEC §6); nothing else. */
async function embedSiteOf(db: Db, request: Request) {
  const [, first, slug] = new URL(request.url).pathname.split("/");
  return first === "embed" && slug ? await findEmbedSite(db, slug.replace(/\.data$/, "")) : undefined;
}


/**
 * Per-request CSP nonce and the security headers of SPEC §9 on every document and data response.
 * Everything else the server answers gets the same headers from the node:http wrapper in
 * app/server.ts (utils/security-headers.ts), which keeps the CSP decided here.
 */
export const securityHeadersMiddleware: MiddlewareFunction<Response> = async ({ request, context }, next) => {
  const { db } = context.get(servicesContext);
  const nonce = randomBytes(16).toString("base64");
  context.set(nonceContext, nonce);
  const site = await embedSiteOf(db, request);
  context.set(embedSiteContext, site ?? null);
  const response = await next();
  const headers = response.headers;
  // Vite's dev server injects inline scripts and styles and uses a websocket; a build never does.
  const devServer = import.meta.env.DEV;
  const styles = inlineStyles();
  const logoOrigin = site?.logoUrl && URL.canParse(site.logoUrl) ? ` ${new URL(site.logoUrl).origin}` : "";
  headers.set(
    "Content-Security-Policy",
    [
      "default-src 'self'",
      `script-src 'self' 'nonce-${nonce}'${devServer ? " 'unsafe-inline'" : ""}`,
      // The app's stylesheet is inlined in every page's head (utils/inline-styles.ts): its hash.
      `style-src 'self'${styles ? ` ${styles.cspSource}` : ""}${devServer ? " 'unsafe-inline'" : ""}`,
      `img-src 'self' data:${logoOrigin}`,
      `connect-src 'self'${devServer ? " ws:" : ""}`,
      "font-src 'self'",
      "object-src 'none'",
      "base-uri 'none'",
      "form-action 'self'",
      `frame-ancestors ${frameAncestors(site)}`,
    ].join("; "),
  );
  for (const [name, value] of Object.entries(COMMON_SECURITY_HEADERS)) headers.set(name, value);
  // X-Frame-Options cannot list origins; CSP frame-ancestors takes precedence where supported.
  if (!site) headers.set("X-Frame-Options", "DENY");
  return response;
};

/** Cross-site form posts (utils/same-origin.ts) get Candor's translated "Not allowed" page (403). */
export const sameOriginMiddleware: MiddlewareFunction<Response> = async ({ request }, next) => {
  const allowed = isSameOriginRequest({
    method: request.method,
    secFetchSite: request.headers.get("Sec-Fetch-Site"),
    origin: request.headers.get("Origin"),
    ownOrigin: new URL(request.url).origin,
  });
  if (!allowed) throw data(null, { status: 403, statusText: "Cross-origin form submission refused" });
  return next();
};
