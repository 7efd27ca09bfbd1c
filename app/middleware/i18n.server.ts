import { createInstance, type i18n } from "i18next";
import { createContext, type MiddlewareFunction, type RouterContextProvider } from "react-router";
import { servicesContext } from "~/context";
import { getLinkLanguage } from "~/domain/links.server";
import { resolveStaffSession } from "~/domain/staff.server";
import { staffSessionCookie } from "~/utils/cookies.server";
import { NAMESPACES, resources } from "~/locales.server";
import type { Db } from "~/utils/db.server";
import { createTranslator, type Lookup, type MessageTree, type Translator } from "~/utils/i18n";
import { DEFAULT_LANG, LANGUAGES, STAFF_LANGUAGES, isLang, isStaffLang, matchLanguage, negotiateLanguage, type Lang } from "~/utils/languages";

/**
 * Language: the URL's first segment (`/fr/...`) first; on a personal link page (`/l/<token>`)
 * the `?lang=` the visitor picked, else the link's language; in the staff console the staff
 * member's own language; then Accept-Language, negotiated by `negotiateLanguage` (q-values,
 * regional variants). No language cookie: cookies do not come back inside cross-site iframes, and
 * the URL always says which language a page is in.
 */
async function languageFromRequest(db: Db, request: Request): Promise<string> {
  const explicit = await explicitLanguage(db, request);
  if (explicit) return explicit;
  const accepted = request.headers.get("Accept-Language");
  // The console exists in fewer languages: a Finnish browser signs in to it in English, not half in Finnish.
  return new URL(request.url).pathname.startsWith("/staff") ? negotiateLanguage(accepted, STAFF_LANGUAGES) : negotiateLanguage(accepted);
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
    // Only once signed in (two steps done): the two-step code page still follows the browser.
    return session?.verified && isStaffLang(session.user.locale) ? session.user.locale : null;
  }
  if (first === "l" && second) {
    return matchLanguage(url.searchParams.get("lang")) ?? (await getLinkLanguage(db, second));
  }
  return null;
}

/**
 * One i18next instance per language, made once per process (resources bundled, initialised
 * synchronously): loaders, CSV exports and the embed layout translate with `getI18n(context)`.
 * Never `changeLanguage` on one: they are shared by every request.
 */
const instances = new Map<Lang, i18n>(
  LANGUAGES.map((lang) => {
    const instance = createInstance({
      resources,
      ns: NAMESPACES,
      defaultNS: "common",
      lng: lang,
      fallbackLng: DEFAULT_LANG,
      interpolation: { escapeValue: false },
      initAsync: false,
    });
    void instance.init();
    return [lang, instance];
  }),
);

/** Every string of every language, flat (`"ns:section.key"` → text): what pages render with. */
const flat: Record<string, Record<string, string>> = Object.fromEntries(
  Object.entries(resources).map(([lang, namespaces]) => {
    const entries: Record<string, string> = {};
    const walk = (ns: string, tree: MessageTree, prefix: string) => {
      for (const [key, value] of Object.entries(tree)) {
        if (typeof value === "string") entries[`${ns}:${prefix}${key}`] = value;
        else walk(ns, value, `${prefix}${key}.`);
      }
    };
    for (const [ns, tree] of Object.entries(namespaces)) walk(ns, tree as MessageTree, "");
    return [lang, entries];
  }),
);
const lookup: Lookup = (lang, ns, key) => flat[lang]?.[`${ns}:${key}`];
/** The entries of `lang` under a key prefix (`"common:errors."`), computed once per language and prefix. */
const sections = new Map<string, Record<string, string>>();
function entriesUnder(lang: string, prefix: string): Record<string, string> {
  let section = sections.get(`${lang} ${prefix}`);
  if (!section) {
    section = Object.fromEntries(Object.entries(flat[lang] ?? {}).filter(([key]) => key.startsWith(prefix)));
    sections.set(`${lang} ${prefix}`, section);
  }
  return section;
}

const langContext = createContext<Lang>(DEFAULT_LANG);
const i18nextContext = createContext<i18n | null>(null);
const translatorContext = createContext<Translator | null>(null);

/**
 * The request's language (`languageFromRequest`), its shared i18next instance and a translator
 * of its own for the page render, which records the strings the page uses (app/utils/i18n.tsx).
 * Per request: only the language detection and one small object; nothing is initialised.
 */
export const i18nMiddleware: MiddlewareFunction<Response> = async ({ request, context }, next) => {
  const found = await languageFromRequest(context.get(servicesContext).db, request);
  const lang = isLang(found) ? found : (matchLanguage(found) ?? DEFAULT_LANG);
  context.set(langContext, lang);
  context.set(i18nextContext, instances.get(lang)!);
  context.set(translatorContext, createTranslator(lang, lookup, { record: true, entriesUnder }));
  return next();
};

/** The request's language (set by i18nMiddleware). */
export function getLang(context: Readonly<RouterContextProvider>): Lang {
  return context.get(langContext);
}

/** The i18next instance of the request's language (shared by every request in that language). */
export function getI18n(context: Readonly<RouterContextProvider>): i18n {
  const instance = context.get(i18nextContext);
  if (!instance) throw new Error("getI18n() before i18nMiddleware ran");
  return instance;
}

/** The translator this request's page renders with (app/entry.server.tsx). */
export function getTranslator(context: Readonly<RouterContextProvider>): Translator {
  const translator = context.get(translatorContext);
  if (!translator) throw new Error("getTranslator() before i18nMiddleware ran");
  return translator;
}
