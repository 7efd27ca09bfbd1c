import "./utils/zod-client";
import { useTranslation } from "~/utils/i18n";
import {
  isRouteErrorResponse,
  Links,
  Outlet,
  Scripts,
  ScrollRestoration,
  useLocation,
  useRouteLoaderData,
} from "react-router";
import type { Route } from "./+types/root";
import { ErrorPage } from "./components/error-page";
import { ScriptsAfterFirstPaint, usePageScriptsAfterPaint } from "./components/page-scripts";
import { nonceContext } from "./context";
import { customerMiddleware } from "./middleware/customer.server";
import { getLang, i18nMiddleware } from "./middleware/i18n.server";
import { sameOriginMiddleware, securityHeadersMiddleware } from "./middleware/security.server";
import stylesUrl from "./styles/app.css?url";
import { PageMessages, prepareNavigation } from "./utils/i18n";
import { inlineStylesText } from "./utils/inline-styles";
import { textDirection } from "./utils/languages";

export const middleware: Route.MiddlewareFunction[] = [
  securityHeadersMiddleware,
  i18nMiddleware,
  sameOriginMiddleware,
  customerMiddleware,
];

/**
 * Before a client-side navigation renders the next page, the namespaces of the page's language
 * arrive (a page carries only the strings it rendered: app/utils/i18n.tsx).
 */
export const clientMiddleware: Route.ClientMiddlewareFunction[] = [
  async (_, next) => {
    await prepareNavigation();
    return next();
  },
];

export const links: Route.LinksFunction = () => [
  // A build inlines the stylesheet (Layout); Vite's development server serves it as a file it hot-reloads.
  ...(import.meta.env.DEV ? [{ rel: "stylesheet", href: stylesUrl }] : []),
  { rel: "icon", href: "/favicon.svg", type: "image/svg+xml" },
];

export function loader({ context }: Route.LoaderArgs) {
  return { lang: getLang(context), nonce: context.get(nonceContext) };
}

export function Layout({ children }: { children: React.ReactNode }) {
  const rootData = useRouteLoaderData<typeof loader>("root");
  const { t, i18n } = useTranslation();
  const lang = rootData?.lang ?? i18n.language;
  const nonce = rootData?.nonce;
  // Scroll restoration keeps positions in sessionStorage, which throws a SecurityError inside a
  // cross-site frame whose storage is blocked; an embed page is short and needs none.
  const embedded = useLocation().pathname.startsWith("/embed/");
  // Reading pages paint before their JavaScript loads (components/page-scripts.tsx).
  const scriptsAfterPaint = usePageScriptsAfterPaint();
  return (
    <html lang={lang} dir={textDirection(lang)}>
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="color-scheme" content="light dark" />
        <meta name="description" content={t("layout.description")} />
        {/* The app's CSS in the page itself (app/utils/inline-styles.ts): the first paint waits for
            no file. precedence puts it at the top of <head>, before the scripts' modulepreload
            links; the browser renders it without text and React keeps the server's. */}
        {import.meta.env.DEV ? null : (
          <style href={stylesUrl} precedence="default">
            {inlineStylesText() ?? ""}
          </style>
        )}
        <Links />
      </head>
      <body>
        {children}
        <PageMessages nonce={nonce} />
        {embedded ? null : <ScrollRestoration nonce={nonce} />}
        {scriptsAfterPaint ? <ScriptsAfterFirstPaint nonce={nonce} /> : <Scripts nonce={nonce} />}
      </body>
    </html>
  );
}

export default function App() {
  return <Outlet />;
}

export function ErrorBoundary({ error }: Route.ErrorBoundaryProps) {
  const { t } = useTranslation();
  const status = isRouteErrorResponse(error) ? error.status : 500;
  if (!isRouteErrorResponse(error)) console.error(error);
  return (
    <main className="page page--narrow" id="main">
      <ErrorPage status={status} />
      <title>{t(status === 404 ? "errors.notFoundTitle" : "errors.serverTitle")}</title>
    </main>
  );
}
