import { Fragment, useState, type ReactNode } from "react";
import { useTranslation } from "~/utils/i18n";
import { DEFAULT_LANG, LANGUAGES, type Lang } from "~/utils/languages";

/**
 * A form part asked "in every language" (27 of them), kept short: English (the fallback) first
 * and always open, then every language that already has text, then the rest inside one
 * `<details>` ("Other languages — N without text"). Inputs inside a closed `<details>` are still
 * submitted, so the form works the same without JavaScript.
 *
 * Which languages are outside is decided from the form's initial values (`hasText`: the loader's
 * values, or what the last submission sent back), never from what is being typed, so no input
 * moves — and loses what was typed — while the staff member writes. The `<details>` renders open
 * when a field inside has an error (`hasError`), and stays open after that error is fixed.
 */
export function LanguageFieldsets({
  languages = LANGUAGES,
  hasText,
  hasError,
  children,
}: {
  languages?: readonly Lang[];
  hasText: (lang: Lang) => boolean;
  hasError: (lang: Lang) => boolean;
  /** One language's fieldset (or field). */
  children: (lang: Lang) => ReactNode;
}) {
  const { t } = useTranslation();
  const ordered = languages.includes(DEFAULT_LANG) ? [DEFAULT_LANG, ...languages.filter((l) => l !== DEFAULT_LANG)] : [...languages];
  const shown = ordered.filter((l) => l === DEFAULT_LANG || hasText(l));
  const rest = ordered.filter((l) => !shown.includes(l));
  const errorInside = rest.some(hasError);
  const [keptOpen, setKeptOpen] = useState(errorInside);
  if (errorInside && !keptOpen) setKeptOpen(true);
  return (
    <>
      {shown.map((l) => (
        <Fragment key={l}>{children(l)}</Fragment>
      ))}
      {rest.length > 0 ? (
        <details className="language-fieldsets" open={errorInside || keptOpen}>
          <summary>{t("staff:languageFieldsets.more", { count: rest.length })}</summary>
          <div className="stack">
            <p className="muted">{t("staff:languageFieldsets.fallback")}</p>
            {rest.map((l) => (
              <Fragment key={l}>{children(l)}</Fragment>
            ))}
          </div>
        </details>
      ) : null}
    </>
  );
}
