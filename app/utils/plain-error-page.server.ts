/**
 * Candor's error page for answers given at the node:http level, before React Router can render
 * one (malformed URLs, refused request bodies): the same markup, stylesheet and translations as
 * components/error-page.tsx, without scripts. Used by app/server.ts.
 */
import type { IncomingMessage } from "node:http";
import { RemixI18Next } from "remix-i18next/server";
import { resources } from "../locales.server";
import appStylesUrl from "../styles/app.css?url";
import { DEFAULT_LANG, isLang, LANGUAGES, textDirection, type Lang } from "./languages";

type ErrorTexts = Record<string, string>;
const errorsIn = (lang: Lang) => ((resources[lang]?.common as { errors?: ErrorTexts } | undefined)?.errors ?? {}) as ErrorTexts;

/** Which text an answer shows: keys `errors.<kind>Title` / `errors.<kind>Body`. */
export type PlainErrorKind = "badAddress" | "badRequest" | "tooLarge" | "forbidden" | "notFound" | "server";

const detector = new RemixI18Next({
  detection: { supportedLanguages: [...LANGUAGES], fallbackLanguage: DEFAULT_LANG, order: ["header"] },
});

/**
 * The page's language, as the app decides it for pages without a session: the URL's first
 * segment (`/fr/…`), else Accept-Language, else English. Never throws.
 */
export async function requestLanguage(req: IncomingMessage): Promise<Lang> {
  const first = (req.url ?? "/").split(/[/?#]/, 2)[1];
  if (isLang(first)) return first;
  try {
    const headers = new Headers();
    const accept = req.headers["accept-language"];
    if (accept) headers.set("Accept-Language", accept);
    const locale = await detector.getLocale(new Request("http://localhost/", { headers }));
    return isLang(locale) ? locale : DEFAULT_LANG;
  } catch {
    return DEFAULT_LANG;
  }
}

const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);

/**
 * The HTML of the error page in `lang`, linking the app's stylesheet (the file the pages inline,
 * app/utils/inline-styles.ts: this answer's CSP allows styles from files only) so it looks like
 * every other Candor page.
 */
export function plainErrorPage(kind: PlainErrorKind, lang: Lang): string {
  const texts = errorsIn(lang);
  const title = escapeHtml(texts[`${kind}Title`] ?? errorsIn("en")[`${kind}Title`]!);
  const body = escapeHtml(texts[`${kind}Body`] ?? errorsIn("en")[`${kind}Body`]!);
  const links = `<link rel="stylesheet" href="${escapeHtml(appStylesUrl)}">`;
  return (
    `<!DOCTYPE html><html lang="${lang}" dir="${textDirection(lang)}"><head><meta charset="utf-8">` +
    `<meta name="viewport" content="width=device-width, initial-scale=1"><meta name="color-scheme" content="light dark">` +
    `<title>${title}</title>${links}<link rel="icon" href="/favicon.svg" type="image/svg+xml"></head>` +
    `<body><main class="page page--narrow" id="main"><section class="stack" aria-labelledby="error-title">` +
    `<h1 id="error-title">${title}</h1><p class="lead">${body}</p>` +
    `<p><a class="button button--secondary" href="/${lang}">${escapeHtml(texts.backHome!)}</a></p>` +
    `</section></main></body></html>`
  );
}
