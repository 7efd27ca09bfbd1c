import { useTranslation } from "~/utils/i18n";
import { useLocation } from "react-router";
import { LANGUAGES, LANGUAGE_NAMES, pathInLanguage, textDirection, type Lang } from "~/utils/languages";

/**
 * Query parameters that announce a one-time message after a redirect ("saved", "filed"…): the
 * same page in another language leaves them out, so the message is not shown again.
 */
export const FLASH_PARAMS = ["done", "new", "saved", "created", "bulkDone", "signedOut", "confirmed"] as const;

/** The query string without one-time message parameters ("" or "?…"). */
export function withoutFlash(search: string): string {
  const params = new URLSearchParams(search);
  for (const name of FLASH_PARAMS) params.delete(name);
  const rest = params.toString();
  return rest ? `?${rest}` : "";
}

/**
 * The language menu: a disclosure (`<details>`, so it opens without JavaScript) whose button names
 * the current language, holding links to the same page in every language (full page loads, so each
 * page ships one language), each named in its own language and marked `lang`/`hreflang`.
 * `hrefFor(lang)`: the address of the page in `lang` (default: the URL's language segment
 * swapped, one-time message parameters dropped).
 */
export function LanguageSwitcher({ hrefFor }: { hrefFor?: (lang: string) => string }) {
  const { t, i18n } = useTranslation();
  const location = useLocation();
  const current = i18n.language as Lang;
  return (
    <nav aria-label={t("layout.languages")} className="language-switcher">
      <details>
        {/* The navigation is named "Language"; the button says which one this page is in, in itself. */}
        <summary lang={current}>{LANGUAGE_NAMES[current] ?? current}</summary>
        <ul>
          {LANGUAGES.map((lang) => (
            <li key={lang}>
              <a
                href={hrefFor ? hrefFor(lang) : pathInLanguage(location.pathname, lang) + withoutFlash(location.search)}
                hrefLang={lang}
                lang={lang}
                dir={textDirection(lang)}
                aria-current={lang === current ? "true" : undefined}
              >
                {LANGUAGE_NAMES[lang]}
              </a>
            </li>
          ))}
        </ul>
      </details>
    </nav>
  );
}
