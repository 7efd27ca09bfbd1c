import { useTranslation } from "react-i18next";
import { useLocation } from "react-router";
import { LANGUAGES, LANGUAGE_NAMES, pathInLanguage } from "~/utils/languages";

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
              href={hrefFor ? hrefFor(lang) : pathInLanguage(location.pathname, lang) + location.search}
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
