import { randomBytes } from "node:crypto";
import type { MiddlewareFunction } from "react-router";
import { nonceContext } from "~/context";
import { findEmbedSite, frameAncestors } from "~/domain/embed-sites.server";
import { getDb } from "~/utils/db.server";

/** /embed/<site>/… pages may be framed by that site's registered origins (SPEC §6); nothing else. */
function embedSiteOf(request: Request) {
  const [, first, slug] = new URL(request.url).pathname.split("/");
  return first === "embed" && slug ? findEmbedSite(getDb(), slug.replace(/\.data$/, "")) : undefined;
}


/** Per-request CSP nonce and the security headers of SPEC §9 on every document and data response. */
export const securityHeadersMiddleware: MiddlewareFunction<Response> = async ({ request, context }, next) => {
  const nonce = randomBytes(16).toString("base64");
  context.set(nonceContext, nonce);
  const response = await next();
  const headers = response.headers;
  // Vite's dev server injects inline scripts and styles and uses a websocket; a build never does.
  const devServer = import.meta.env.DEV;
  const site = embedSiteOf(request);
  const logoOrigin = site?.logoUrl && URL.canParse(site.logoUrl) ? ` ${new URL(site.logoUrl).origin}` : "";
  headers.set(
    "Content-Security-Policy",
    [
      "default-src 'self'",
      `script-src 'self' 'nonce-${nonce}'${devServer ? " 'unsafe-inline'" : ""}`,
      `style-src 'self'${devServer ? " 'unsafe-inline'" : ""}`,
      `img-src 'self' data:${logoOrigin}`,
      `connect-src 'self'${devServer ? " ws:" : ""}`,
      "font-src 'self'",
      "object-src 'none'",
      "base-uri 'none'",
      "form-action 'self'",
      `frame-ancestors ${frameAncestors(site)}`,
    ].join("; "),
  );
  headers.set("Referrer-Policy", "no-referrer");
  headers.set("X-Content-Type-Options", "nosniff");
  // X-Frame-Options cannot list origins; CSP frame-ancestors takes precedence where supported.
  if (!site) headers.set("X-Frame-Options", "DENY");
  headers.set("Cross-Origin-Opener-Policy", "same-origin");
  headers.set(
    "Permissions-Policy",
    "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()",
  );
  return response;
};

/**
 * CSRF defence that does not depend on cookies (it has to work inside cross-site iframes too):
 * a state-changing request must come from this origin, judged by Sec-Fetch-Site, else Origin.
 * Requests with neither header (non-browser clients) carry no ambient browser credentials
 * worth forging and pass — the same rule as Go's CrossOriginProtection.
 */
export const sameOriginMiddleware: MiddlewareFunction<Response> = async ({ request }, next) => {
  if (["GET", "HEAD", "OPTIONS"].includes(request.method)) return next();
  const site = request.headers.get("Sec-Fetch-Site");
  const origin = request.headers.get("Origin");
  const ownOrigin = new URL(request.url).origin;
  const allowed = site
    ? site === "same-origin" || site === "none"
    : !origin || origin === "null"
      ? origin !== "null"
      : origin === ownOrigin;
  if (!allowed) {
    throw new Response("Cross-origin form submission refused", {
      status: 403,
      headers: { "Content-Type": "text/plain; charset=utf-8" },
    });
  }
  return next();
};
