import { useTranslation } from "~/utils/i18n";
import { Link } from "react-router";
import { LANGUAGE_NAMES, type Lang } from "~/utils/languages";

/** Links to a system's texts in each language; the current one is marked, missing ones flagged. */
export function RegisterLanguageTabs({ slug, current, languages }: { slug: string; current: Lang; languages: { lang: Lang; present: boolean }[] }) {
  const { t } = useTranslation();
  return (
    <nav aria-label={t("registerEditor:edit.languagesNav")}>
      <ul className="register-tabs">
        {languages.map((l) => (
          <li key={l.lang}>
            <Link
              to={`/staff/ai-systems/${slug}?lang=${l.lang}`}
              aria-current={l.lang === current ? "page" : undefined}
              className={l.present ? undefined : "register-missing"}
              lang={l.present ? l.lang : undefined}
            >
              {l.present ? LANGUAGE_NAMES[l.lang] : t("registerEditor:list.missing", { language: LANGUAGE_NAMES[l.lang] })}
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}
