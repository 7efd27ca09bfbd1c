/** The portal's languages. English is the source language and the fallback. */
export const LANGUAGES = ["en", "fr", "de", "ar"] as const;
export type Lang = (typeof LANGUAGES)[number];
export const DEFAULT_LANG: Lang = "en";

/** Each language's own name, shown in the language switcher. */
export const LANGUAGE_NAMES: Record<Lang, string> = {
  en: "English",
  fr: "Français",
  de: "Deutsch",
  ar: "العربية",
};

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
