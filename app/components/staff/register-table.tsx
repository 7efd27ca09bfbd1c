import { useTranslation } from "~/utils/i18n";
import { Link } from "react-router";
import { Time } from "~/components/time";
import { LANGUAGE_NAMES, type Lang } from "~/utils/languages";
import { TableRegion } from "~/components/table-region";

export interface RegisterTableRow {
  slug: string;
  name: string;
  nameLang: string | null;
  status: string;
  riskClass: string;
  currentVersion: string;
  lastReviewedAt: { iso: string; text: string };
  languages: { lang: Lang; present: boolean }[];
  /** How many languages have texts, and how many there are, formatted by the loader. */
  languagesPresent: string;
  languagesTotal: string;
}

/**
 * How many languages have texts, and only the missing ones (the public register shows English
 * there), each linking to the editor in that language; "All languages" when none is missing.
 */
export function RegisterLanguages({ slug, languages, present, total }: { slug: string; languages: { lang: Lang; present: boolean }[]; present: string; total: string }) {
  const { t } = useTranslation();
  const missing = languages.filter((l) => !l.present);
  if (missing.length === 0) return <p className="register-languages">{t("registerEditor:list.allLanguages")}</p>;
  return (
    <div className="register-languages stack-sm">
      <p>{t("registerEditor:list.presentOf", { present, total, count: languages.length })}</p>
      <ul className="tags" aria-label={t("registerEditor:list.missingLanguages")}>
        {missing.map((l) => (
          <li key={l.lang} className="tag register-missing" lang={l.lang}>
            <Link to={`/staff/ai-systems/${slug}?lang=${l.lang}`} hrefLang={l.lang}>{LANGUAGE_NAMES[l.lang]}</Link>
          </li>
        ))}
      </ul>
    </div>
  );
}

/** Every AI system, including paused and retired ones. */
export function RegisterTable({ rows }: { rows: RegisterTableRow[] }) {
  const { t } = useTranslation();
  return (
    <TableRegion label={t("registerEditor:list.caption")}>
      <table className="data-table">
        <caption className="visually-hidden">{t("registerEditor:list.caption")}</caption>
        <thead>
          <tr>
            <th scope="col">{t("registerEditor:list.system")}</th>
            <th scope="col">{t("registerEditor:list.status")}</th>
            <th scope="col">{t("registerEditor:list.riskClass")}</th>
            <th scope="col">{t("registerEditor:list.version")}</th>
            <th scope="col">{t("registerEditor:list.lastReviewed")}</th>
            <th scope="col">{t("registerEditor:list.languages")}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.slug}>
              <th scope="row">
                <Link to={`/staff/ai-systems/${row.slug}`} lang={row.nameLang ?? undefined}>{row.name}</Link>
                <br />
                <code className="muted">{row.slug}</code>
              </th>
              <td><span className={`status register-status--${row.status}`}>{t(`register.status.${row.status}`)}</span></td>
              <td><span className={`pill pill--risk-${row.riskClass}`}>{t(`register.risk.${row.riskClass}`)}</span></td>
              <td>{row.currentVersion}</td>
              <td><Time value={row.lastReviewedAt} /></td>
              <td><RegisterLanguages slug={row.slug} languages={row.languages} present={row.languagesPresent} total={row.languagesTotal} /></td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableRegion>
  );
}
