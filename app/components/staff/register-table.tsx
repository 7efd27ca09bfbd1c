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
}

/** Which languages have texts; a missing one is flagged (the public register shows English). */
export function RegisterLanguages({ languages }: { languages: { lang: Lang; present: boolean }[] }) {
  const { t } = useTranslation();
  return (
    <ul className="tags">
      {languages.map((l) => (
        <li key={l.lang} className={l.present ? "tag" : "tag register-missing"} lang={l.present ? l.lang : undefined}>
          {l.present ? LANGUAGE_NAMES[l.lang] : t("registerEditor:list.missing", { language: LANGUAGE_NAMES[l.lang] })}
        </li>
      ))}
    </ul>
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
              <td><RegisterLanguages languages={row.languages} /></td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableRegion>
  );
}
