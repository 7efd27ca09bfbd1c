import { initReactI18next } from "react-i18next";
import { createI18nextMiddleware } from "remix-i18next/middleware";
import { getLinkLanguage } from "~/domain/links.server";
import { resolveStaffSession } from "~/domain/staff.server";
import { staffSessionCookie } from "~/utils/cookies.server";
import { NAMESPACES, resources } from "~/locales.server";
import { getDb } from "~/utils/db.server";
import { DEFAULT_LANG, LANGUAGES, isLang, matchLanguage, negotiateLanguage } from "~/utils/languages";

/**
 * Language: the URL's first segment (`/fr/...`) first; on a personal link page (`/l/<token>`)
 * the `?lang=` the visitor picked, else the link's language; in the staff console the staff
 * member's own language; then Accept-Language, negotiated by `negotiateLanguage` (q-values,
 * regional variants). No language cookie: cookies do not come back inside cross-site iframes, and
 * the URL always says which language a page is in.
 */
async function languageFromRequest(request: Request): Promise<string> {
  return (await explicitLanguage(request)) ?? negotiateLanguage(request.headers.get("Accept-Language"));
}

async function explicitLanguage(request: Request): Promise<string | null> {
  const url = new URL(request.url);
  const [, first, second, third] = url.pathname.split("/");
  if (isLang(first)) return first;
  // Embedded pages: /embed/<site>/<lang>/… (the host page's language, SPEC §6)
  if (first === "embed") return isLang(third?.replace(/\.data$/, "")) ? third!.replace(/\.data$/, "") : null;
  if (first === "staff") {
    // The console speaks the staff member's language (set on their account page).
    const token = await staffSessionCookie.parse(request.headers.get("Cookie"));
    const session = typeof token === "string" ? resolveStaffSession(getDb(), token) : undefined;
    return session?.user.locale ?? null;
  }
  if (first === "l" && second) {
    return matchLanguage(url.searchParams.get("lang")) ?? getLinkLanguage(getDb(), second);
  }
  return null;
}

export const [i18nMiddleware, getLang, getI18n] = createI18nextMiddleware({
  detection: {
    supportedLanguages: [...LANGUAGES],
    fallbackLanguage: DEFAULT_LANG,
    // Not remix-i18next's "header": it gives up on the first range it has no match for (`es,fr` → en).
    order: ["custom"],
    findLocale: languageFromRequest,
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
