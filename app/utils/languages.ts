/**
 * The portal's languages (SPEC §8): the 24 official languages of the EU, then Arabic, Turkish and
 * Ukrainian. English is the source language and the fallback. Customer pages, customer emails and
 * the demo content exist in every one; the staff console in STAFF_LANGUAGES.
 */
export const LANGUAGES = [
  "bg", "cs", "da", "de", "el", "en", "es", "et", "fi", "fr", "ga", "hr", "hu", "it",
  "lt", "lv", "mt", "nl", "pl", "pt", "ro", "sk", "sl", "sv", "ar", "tr", "uk",
] as const;
export type Lang = (typeof LANGUAGES)[number];
export const DEFAULT_LANG: Lang = "en";

/** The languages the staff console is translated into (its other namespaces fall back to English). */
export const STAFF_LANGUAGES = ["en", "fr", "de", "es", "it", "nl", "pl", "ar"] as const satisfies readonly Lang[];
export type StaffLang = (typeof STAFF_LANGUAGES)[number];

/** The locale namespaces customer pages, customer emails and embeds use: translated into every language. */
export const CUSTOMER_NAMESPACES = ["common", "emails", "embed"] as const;

/** Each language's own name (its endonym, as the language itself writes it), shown in the language switcher. */
export const LANGUAGE_NAMES: Record<Lang, string> = {
  bg: "Български",
  cs: "Čeština",
  da: "Dansk",
  de: "Deutsch",
  el: "Ελληνικά",
  en: "English",
  es: "Español",
  et: "Eesti",
  fi: "Suomi",
  fr: "Français",
  ga: "Gaeilge",
  hr: "Hrvatski",
  hu: "Magyar",
  it: "Italiano",
  lt: "Lietuvių",
  lv: "Latviešu",
  mt: "Malti",
  nl: "Nederlands",
  pl: "Polski",
  pt: "Português",
  ro: "Română",
  sk: "Slovenčina",
  sl: "Slovenščina",
  sv: "Svenska",
  ar: "العربية",
  tr: "Türkçe",
  uk: "Українська",
};

/** True when `value` is one of the console's languages (STAFF_LANGUAGES); anything else (an unknown code, a customer-only language, a non-string) is false. */
export function isStaffLang(value: unknown): value is StaffLang {
  return typeof value === "string" && (STAFF_LANGUAGES as readonly string[]).includes(value);
}

const RIGHT_TO_LEFT = new Set<string>(["ar"]);

export function isLang(value: unknown): value is Lang {
  return typeof value === "string" && (LANGUAGES as readonly string[]).includes(value);
}

export function textDirection(lang: string): "rtl" | "ltr" {
  return RIGHT_TO_LEFT.has(lang) ? "rtl" : "ltr";
}

/** The same path in another language: `/fr/me/preferences` → `/de/me/preferences`. */
export function pathInLanguage(pathname: string, lang: Lang): string {
  const [, first, ...rest] = pathname.split("/");
  const tail = isLang(first) ? rest : [first, ...rest].filter(Boolean);
  return ["", lang, ...tail].join("/").replace(/\/$/, "") || `/${lang}`;
}

/**
 * The first language the visitor accepts that Candor has (RFC 9110 §12.5.4 `Accept-Language`,
 * RFC 4647 §3.4 "lookup"): ranges in the visitor's order of preference — by q-value, highest
 * first, ties kept in the order written — each tried as written and then with its last subtag
 * dropped (`pt-BR` → `pt`, `fr-CA` → `fr`, `zh-Hant-TW` → `zh-Hant` → `zh`). `q=0` means "not
 * acceptable": such a range is skipped, and `*` stands for any language not refused. Malformed
 * entries are ignored. Input: the header value (or a list such as `data-lang` + the host page's
 * language; null/empty allowed) and the languages to choose among (default: every shipped one;
 * the staff console passes STAFF_LANGUAGES). Output: one of them, `DEFAULT_LANG` when none matches.
 * The one negotiation used by `/`, link pages, the console and embeds.
 */
export function negotiateLanguage<L extends Lang = Lang>(header: string | null | undefined, among: readonly L[] = LANGUAGES as readonly Lang[] as readonly L[]): L {
  const ranges = parseAcceptLanguage(header ?? "");
  const refused = new Set(ranges.filter((r) => r.q === 0).map((r) => r.tag));
  for (const { tag, q } of ranges) {
    if (q === 0) continue;
    if (tag === "*") {
      const any = [DEFAULT_LANG as L, ...among].find((l) => among.includes(l) && !refused.has(l));
      if (any) return any;
      continue;
    }
    const match = matchLanguage(tag, among);
    if (match && !refused.has(match)) return match;
  }
  return DEFAULT_LANG as L;
}

/**
 * The shipped language one tag stands for (RFC 4647 lookup: the tag, then without its last
 * subtag — `fr-CA` → `fr`, `zh-Hant-TW` → `zh-Hant` → `zh`), case-insensitive, `_` read as `-`,
 * among `among` (default: every shipped language); null when none fits.
 */
export function matchLanguage<L extends Lang = Lang>(tag: string | null | undefined, among: readonly L[] = LANGUAGES as readonly Lang[] as readonly L[]): L | null {
  for (let candidate = (tag ?? "").trim().toLowerCase().replace(/_/g, "-").slice(0, 64); candidate; candidate = candidate.replace(/-?[^-]*$/, "")) {
    if ((among as readonly string[]).includes(candidate)) return candidate as L;
  }
  return null;
}

const LANGUAGE_RANGE = /^(?:\*|[a-z]{1,8}(?:-[a-z0-9]{1,8})*)$/;

/** `Accept-Language` as ranges (lower case, `_` read as `-`), sorted by q (stable: the header's order breaks ties). */
export function parseAcceptLanguage(header: string): { tag: string; q: number }[] {
  return header
    .slice(0, 2000)
    .split(",")
    .slice(0, 50)
    .flatMap((part) => {
      const [rawTag = "", ...params] = part.trim().split(";");
      const tag = rawTag.trim().toLowerCase().replace(/_/g, "-");
      if (!LANGUAGE_RANGE.test(tag)) return [];
      let q = 1;
      for (const param of params) {
        const [name, value] = param.split("=").map((s) => s.trim());
        if (name?.toLowerCase() !== "q") continue;
        if (!value || !/^(?:0(?:\.\d{0,3})?|1(?:\.0{0,3})?)$/.test(value)) return [];
        q = Number(value);
      }
      return [{ tag, q }];
    })
    .map((range, index) => ({ ...range, index }))
    .sort((a, b) => b.q - a.q || a.index - b.index)
    .map(({ tag, q }) => ({ tag, q }));
}
