import { useEffect, useMemo, useRef } from "react";
import { data, isRouteErrorResponse, Outlet, redirect, useLocation, useParams, useSearchParams } from "react-router";
import { ErrorPage } from "~/components/error-page";
import { LanguageSwitcher, withoutFlash } from "~/components/language-switcher";
import { EmbedFrameContext } from "~/components/portal-link";
import { embedSiteContext, servicesContext } from "~/context";
import { startCustomerSession } from "~/domain/customer-sessions.server";
import { EMBED_HANDLE_TTL_MS, safeAccentColor, verifyEmbedToken } from "~/domain/embed-sites.server";
import { companyLogoPath } from "~/domain/settings.server";
import { embedSessionCookieFor } from "~/middleware/customer.server";
import { getI18n, getLang } from "~/middleware/i18n.server";
import { isLang, negotiateLanguage } from "~/utils/languages";
import type { Route } from "./+types/layout";
import embedStyles from "./embed.css?url";
import { embedBase, HANDLE_PARAM, withHandle } from "./paths";

export const links: Route.LinksFunction = () => [{ rel: "stylesheet", href: embedStyles }];

/**
 * Every embed page: the site must be registered and active, the language supported. A site-signed
 * customer token (?token=…) starts a personal session — a Partitioned cookie plus a 30-minute
 * handle in the URL for browsers that send no cookie back — then redirects to the same page
 * without the token.
 */
const LANGUAGE_TAG = /^[a-z]{1,8}(?:[-_][a-z0-9]{1,8}){0,4}$/i;

export const middleware: Route.MiddlewareFunction[] = [
  async ({ request, params, context }, next) => {
    const { db } = context.get(servicesContext);
    const site = context.get(embedSiteContext);
    if (!site) throw data(null, { status: 404 });
    if (!isLang(params.lang)) {
      // A host page in a language Candor does not ship (`pt-BR`, `fr-CA`, `es`): the nearest
      // shipped one, else the visitor's first accepted one — the negotiation `/` uses.
      if (!LANGUAGE_TAG.test(params.lang)) throw data(null, { status: 404 });
      const url = new URL(request.url);
      const lang = negotiateLanguage(`${params.lang}, ${request.headers.get("Accept-Language") ?? ""}`);
      const rest = url.pathname.split("/").slice(4);
      throw redirect([embedBase(site.slug, lang), ...rest].join("/") + url.search, { status: 302, headers: { Vary: "Accept-Language" } });
    }
    const url = new URL(request.url);
    const token = url.searchParams.get("token");
    if (token !== null && request.method === "GET") {
      const result = await verifyEmbedToken(db, site, token);
      // Refused by the loader below, so the embed's own error page (links kept in the frame) says so.
      if (!result.ok) return next();
      const now = Date.now();
      // Both bound to this site: refused under any other /embed/<site>/ and on the portal.
      const sessionToken = await startCustomerSession(db, result.customerId, null, now, undefined, site.slug);
      const handle = await startCustomerSession(db, result.customerId, null, now, EMBED_HANDLE_TTL_MS, site.slug);
      url.searchParams.delete("token");
      url.searchParams.set(HANDLE_PARAM, handle);
      throw redirect(url.pathname + url.search, {
        status: 303,
        headers: { "Set-Cookie": await embedSessionCookieFor(site.slug, sessionToken), "Cache-Control": "no-store" },
      });
    }
    return next();
  },
];

export async function loader({ request, context }: Route.LoaderArgs) {
  // A token still in the URL is one the middleware refused (bad, expired, replayed, foreign).
  if (request.method === "GET" && new URL(request.url).searchParams.has("token")) throw data({ reason: "signed_out" as const }, { status: 401 });
  const site = context.get(embedSiteContext)!;
  const lang = getLang(context);
  const t = getI18n(context).getFixedT(lang, "embed");
  return {
    lang,
        // The site's own logo, else the company's (SPEC §12).
    site: { slug: site.slug, name: site.name, accent: safeAccentColor(site), logoUrl: site.logoUrl ?? (await companyLogoPath(context.get(servicesContext).db)), origins: site.origins },
    // Strings of this layout come translated from the server: customer pages only bundle `common`.
    text: {
      openInNewTab: t("openInNewTab"),
      opensInNewTab: t("opensInNewTab"),
      frameOf: t("frameOf", { site: site.name }),
    },
  };
}

/** Tells the host page (only the site's registered origins) how tall the content is. */
function useReportHeight(ref: React.RefObject<HTMLElement | null>, origins: string[]) {
  useEffect(() => {
    const element = ref.current;
    if (!element || window.parent === window) return;
    let last = -1;
    const report = () => {
      const height = Math.ceil(element.getBoundingClientRect().height);
      if (height === last) return;
      last = height;
      for (const origin of origins) window.parent.postMessage({ type: "candor:resize", height }, origin);
    };
    const observer = new ResizeObserver(report);
    observer.observe(element);
    report();
    return () => observer.disconnect();
  }, [ref, origins]);
}

function useAccent(accent: string | null) {
  useEffect(() => {
    // CSSOM, not a style attribute: the CSP allows no inline styles.
    if (accent) document.documentElement.style.setProperty("--accent", accent);
  }, [accent]);
}

export default function EmbedLayout({ loaderData }: Route.ComponentProps) {
  const { site, text, lang } = loaderData;
  const location = useLocation();
  const [searchParams] = useSearchParams();
  const handle = searchParams.get(HANDLE_PARAM);
  const frameRef = useRef<HTMLDivElement>(null);
  const frame = useMemo(() => ({ site: site.slug, lang, handle }), [site.slug, lang, handle]);
  useReportHeight(frameRef, site.origins);
  useAccent(site.accent);
  const here = location.pathname + location.search;
  return (
    <EmbedFrameContext.Provider value={frame}>
      <div className="embed" ref={frameRef}>
        <header className="embed-bar">
          <span className="embed-bar__site">
            {site.logoUrl ? <img src={site.logoUrl} alt="" className="embed-bar__logo" /> : null}
            <span>{text.frameOf}</span>
          </span>
          <LanguageSwitcher hrefFor={(other) => inLanguage(location.pathname, location.search, other, handle)} />
          {/* A form, not a link: the new tab's first request exchanges the frame's session (the
              URL handle) for a portal session; it works without JavaScript too. */}
          <form method="post" action={withHandle(`${embedBase(site.slug, lang)}/open`, handle)} target="_blank" className="inline-form">
            <input type="hidden" name="to" value={here} />
            <button type="submit" className="link-button">
              {text.openInNewTab} <span className="visually-hidden">{text.opensInNewTab}</span>
            </button>
          </form>
        </header>
        <main id="main" className="page embed-page" tabIndex={-1}>
          <Outlet />
        </main>
      </div>
    </EmbedFrameContext.Provider>
  );
}

/** The same embed page in another language, keeping its query (without one-time messages) and the session handle. */
function inLanguage(pathname: string, search: string, other: string, handle: string | null): string {
  const [, embed, site, , ...rest] = pathname.split("/");
  const params = new URLSearchParams(withoutFlash(search));
  params.delete(HANDLE_PARAM);
  const query = params.toString();
  const path = [`/${embed}/${site}/${other}`, ...rest].join("/") + (query ? `?${query}` : "");
  return withHandle(path, handle);
}

export function ErrorBoundary({ error }: Route.ErrorBoundaryProps) {
  const params = useParams();
  const [searchParams] = useSearchParams();
  const status = isRouteErrorResponse(error) ? error.status : 500;
  const reason = isRouteErrorResponse(error) ? (error.data as { reason?: string } | null)?.reason : undefined;
  if (!isRouteErrorResponse(error)) console.error(error);
  const home = params.site && isLang(params.lang) ? withHandle(embedBase(params.site, params.lang), searchParams.get(HANDLE_PARAM)) : undefined;
  return (
    <main id="main" className="page embed-page">
      <ErrorPage status={status} reason={reason} home={home} />
    </main>
  );
}
