import { initReactI18next } from "react-i18next";
import type { MiddlewareFunction } from "react-router";
import { createI18nextMiddleware } from "remix-i18next/middleware";
import { servicesContext } from "~/context";
import { getLinkLanguage } from "~/domain/links.server";
import { resolveStaffSession } from "~/domain/staff.server";
import { staffSessionCookie } from "~/utils/cookies.server";
import { NAMESPACES, resources } from "~/locales.server";
import type { Db } from "~/utils/db.server";
import { DEFAULT_LANG, LANGUAGES, isLang, matchLanguage, negotiateLanguage } from "~/utils/languages";

/**
 * Language: the URL's first segment (`/fr/...`) first; on a personal link page (`/l/<token>`)
 * the `?lang=` the visitor picked, else the link's language; in the staff console the staff
 * member's own language; then Accept-Language, negotiated by `negotiateLanguage` (q-values,
 * regional variants). No language cookie: cookies do not come back inside cross-site iframes, and
 * the URL always says which language a page is in.
 */
async function languageFromRequest(db: Db, request: Request): Promise<string> {
  return (await explicitLanguage(db, request)) ?? negotiateLanguage(request.headers.get("Accept-Language"));
}

async function explicitLanguage(db: Db, request: Request): Promise<string | null> {
  const url = new URL(request.url);
  const [, first, second, third] = url.pathname.split("/");
  if (isLang(first)) return first;
  // Embedded pages: /embed/<site>/<lang>/… (the host page's language, SPEC §6)
  if (first === "embed") return isLang(third?.replace(/\.data$/, "")) ? third!.replace(/\.data$/, "") : null;
  if (first === "staff") {
    // The console speaks the staff member's language (set on their account page).
    const token = await staffSessionCookie.parse(request.headers.get("Cookie"));
    const session = typeof token === "string" ? await resolveStaffSession(db, token) : undefined;
    return session?.user.locale ?? null;
  }
  if (first === "l" && second) {
    return matchLanguage(url.searchParams.get("lang")) ?? (await getLinkLanguage(db, second));
  }
  return null;
}

/** The request's database handle, for `findLocale` (remix-i18next hands it the request only). */
const dbOfRequest = new WeakMap<Request, Db>();

const [detectLanguage, getLang, getI18n] = createI18nextMiddleware({
  detection: {
    supportedLanguages: [...LANGUAGES],
    fallbackLanguage: DEFAULT_LANG,
    // Not remix-i18next's "header": it gives up on the first range it has no match for (`es,fr` → en).
    order: ["custom"],
    findLocale: (request) => languageFromRequest(dbOfRequest.get(request)!, request),
  },
  i18next: {
    resources,
    ns: NAMESPACES,
    defaultNS: "common",
    fallbackLng: DEFAULT_LANG,
    interpolation: { escapeValue: false },
  },
  plugins: [initReactI18next],
});

/** remix-i18next's middleware, with the router context's database handle resolved once for it. */
export const i18nMiddleware: MiddlewareFunction<Response> = (args, next) => {
  dbOfRequest.set(args.request, args.context.get(servicesContext).db);
  return detectLanguage(args, next);
};

export { getI18n, getLang };
