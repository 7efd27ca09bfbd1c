import { useEffect, useRef } from "react";
import { data, isRouteErrorResponse, Outlet, redirect, useLocation, useNavigate, useParams } from "react-router";
import { ErrorPage } from "~/components/error-page";
import { startCustomerSession } from "~/domain/customer-sessions.server";
import { EMBED_HANDLE_TTL_MS, findEmbedSite, safeAccentColor, verifyEmbedToken } from "~/domain/embed-sites.server";
import { embedSessionCookie } from "~/middleware/customer.server";
import { getI18n, getLang } from "~/middleware/i18n.server";
import { getDb } from "~/utils/db.server";
import { isLang, negotiateLanguage } from "~/utils/languages";
import type { Route } from "./+types/layout";
import embedStyles from "./embed.css?url";
import { embedBase, embedPathFor, HANDLE_PARAM, portalPathFor, withHandle } from "./paths";

export const links: Route.LinksFunction = () => [{ rel: "stylesheet", href: embedStyles }];

/**
 * Every embed page: the site must be registered and active, the language supported. A site-signed
 * customer token (?token=…) starts a personal session — a Partitioned cookie plus a 30-minute
 * handle in the URL for browsers that send no cookie back — then redirects to the same page
 * without the token.
 */
const LANGUAGE_TAG = /^[a-z]{1,8}(?:[-_][a-z0-9]{1,8}){0,4}$/i;

export const middleware: Route.MiddlewareFunction[] = [
  async ({ request, params }, next) => {
    const db = getDb();
    const site = findEmbedSite(db, params.site);
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
      if (!result.ok) throw data({ reason: "signed_out" as const }, { status: 401 });
      const now = Date.now();
      const sessionToken = startCustomerSession(db, result.customerId, null, now);
      const handle = startCustomerSession(db, result.customerId, null, now, EMBED_HANDLE_TTL_MS);
      url.searchParams.delete("token");
      url.searchParams.set(HANDLE_PARAM, handle);
      throw redirect(url.pathname + url.search, {
        status: 303,
        headers: { "Set-Cookie": await embedSessionCookie.serialize(sessionToken), "Cache-Control": "no-store" },
      });
    }
    return next();
  },
];

export function loader({ params, context }: Route.LoaderArgs) {
  const site = findEmbedSite(getDb(), params.site)!;
  const lang = getLang(context);
  const t = getI18n(context).getFixedT(lang, "embed");
  return {
    lang,
    site: { slug: site.slug, name: site.name, accent: safeAccentColor(site), logoUrl: site.logoUrl, origins: site.origins },
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

/**
 * The reused portal pages link to /<lang>/…: keep those inside the frame (carrying the session
 * handle) when the page has an embedded twin, else open the full portal in a new tab.
 */
function useLinksStayInFrame(site: string, lang: string) {
  const navigate = useNavigate();
  useEffect(() => {
    const onClick = (event: MouseEvent) => {
      if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
      const anchor = (event.target as Element | null)?.closest?.("a[href]");
      if (!(anchor instanceof HTMLAnchorElement) || anchor.target === "_blank" || anchor.hasAttribute("download")) return;
      const url = new URL(anchor.href);
      if (url.origin !== window.location.origin || url.pathname.startsWith("/embed/")) return;
      if (url.pathname === window.location.pathname && url.hash) return;
      event.preventDefault();
      event.stopPropagation();
      const embedded = embedPathFor(url.pathname, site, lang);
      const handle = new URLSearchParams(window.location.search).get(HANDLE_PARAM);
      if (embedded) void navigate(withHandle(embedded + url.search + url.hash, handle));
      else window.open(url.href, "_blank", "noopener");
    };
    window.addEventListener("click", onClick, true);
    return () => window.removeEventListener("click", onClick, true);
  }, [navigate, site, lang]);
}

function useAccent(accent: string | null) {
  useEffect(() => {
    // CSSOM, not a style attribute: the CSP allows no inline styles.
    if (accent) document.documentElement.style.setProperty("--accent", accent);
  }, [accent]);
}

export default function EmbedLayout({ loaderData }: Route.ComponentProps) {
  const { site, text } = loaderData;
  const location = useLocation();
  const frame = useRef<HTMLDivElement>(null);
  useReportHeight(frame, site.origins);
  useLinksStayInFrame(site.slug, loaderData.lang);
  useAccent(site.accent);
  return (
    <div className="embed" ref={frame}>
      <header className="embed-bar">
        <span className="embed-bar__site">
          {site.logoUrl ? <img src={site.logoUrl} alt="" className="embed-bar__logo" /> : null}
          <span>{text.frameOf}</span>
        </span>
        <a href={portalPathFor(location.pathname) + location.hash} target="_blank" rel="noopener noreferrer">
          {text.openInNewTab} <span className="visually-hidden">{text.opensInNewTab}</span>
        </a>
      </header>
      <main id="main" className="page embed-page" tabIndex={-1}>
        <Outlet />
      </main>
    </div>
  );
}

export function ErrorBoundary({ error }: Route.ErrorBoundaryProps) {
  const params = useParams();
  const status = isRouteErrorResponse(error) ? error.status : 500;
  const reason = isRouteErrorResponse(error) ? (error.data as { reason?: string } | null)?.reason : undefined;
  if (!isRouteErrorResponse(error)) console.error(error);
  const home = params.site && isLang(params.lang) ? embedBase(params.site, params.lang) : undefined;
  return (
    <main id="main" className="page embed-page">
      <ErrorPage status={status} reason={reason} home={home} />
    </main>
  );
}
