import { isLang, LANGUAGE_NAMES } from "./languages";

/**
 * A language's name as a word inside a sentence of `lang`: "French" in English, "français" in
 * French (lower case, as French writes language names), "Französisch" in German, "الفرنسية" in
 * Arabic — for "The customer wrote in {{language}}" and the like. Language pickers and switchers
 * keep each language's own name (LANGUAGE_NAMES). `code`: any ISO 639-1 code; an unknown one, or a
 * runtime without the data, answers the language's own name or the code itself. Never throws.
 */
export function languageNameIn(code: string, lang: string): string {
  try {
    return new Intl.DisplayNames([lang], { type: "language" }).of(code) ?? code;
  } catch {
    return isLang(code) ? LANGUAGE_NAMES[code] : code;
  }
}
