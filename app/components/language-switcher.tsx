import { useTranslation } from "~/utils/i18n";
import { useLocation } from "react-router";
import { LANGUAGES, LANGUAGE_NAMES, pathInLanguage } from "~/utils/languages";

/**
 * Query parameters that announce a one-time message after a redirect ("saved", "filed"…): the
 * same page in another language leaves them out, so the message is not shown again.
 */
export const FLASH_PARAMS = ["done", "new", "saved", "created", "bulkDone", "signedOut"] as const;

/** The query string without one-time message parameters ("" or "?…"). */
export function withoutFlash(search: string): string {
  const params = new URLSearchParams(search);
  for (const name of FLASH_PARAMS) params.delete(name);
  const rest = params.toString();
  return rest ? `?${rest}` : "";
}

/** Links to the same page in every language (full page loads, so each page ships one language). */
export function LanguageSwitcher({ hrefFor }: { hrefFor?: (lang: string) => string }) {
  const { t, i18n } = useTranslation();
  const location = useLocation();
  return (
    <nav aria-label={t("layout.languages")} className="language-switcher">
      <ul>
        {LANGUAGES.map((lang) => (
          <li key={lang}>
            <a
              href={hrefFor ? hrefFor(lang) : pathInLanguage(location.pathname, lang) + withoutFlash(location.search)}
              hrefLang={lang}
              lang={lang}
              aria-current={lang === i18n.language ? "true" : undefined}
            >
              {LANGUAGE_NAMES[lang]}
            </a>
          </li>
        ))}
      </ul>
    </nav>
  );
}
