import { useTranslation } from "~/utils/i18n";
import { Link } from "react-router";
import { TableRegion } from "~/components/table-region";
import { LANGUAGE_NAMES, type Lang } from "~/utils/languages";

/** One item as the table shows it: its key and name, how many languages have it (formatted), the missing ones, and where to add them. */
export interface CoverageTableRow {
  key: string;
  name: string;
  nameLang: string | null;
  /** How many languages have it, formatted. */
  present: string;
  missing: Lang[];
  href: string | null;
  /** A notice's current version (the one customers are shown), formatted. */
  version?: string;
}

/**
 * One kind of content (AI systems, notices, canned replies): each item, how many languages it has,
 * and the missing ones, each linking to where it is added when `linkFor` gives an address.
 */
export function TranslationCoverageTable<Row extends CoverageTableRow>({
  id,
  title,
  rows,
  total,
  linkFor,
}: {
  id: string;
  title: string;
  rows: Row[];
  total: string;
  linkFor: (row: Row, lang: Lang) => string | null;
}) {
  const { t } = useTranslation();
  return (
    <section className="stack" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{title}</h2>
      {rows.length === 0 ? (
        <p>{t("translations:empty")}</p>
      ) : (
        <TableRegion label={title}>
          <table className="data-table">
            <caption className="visually-hidden">{title}</caption>
            <thead>
              <tr>
                <th scope="col">{t("translations:item")}</th>
                <th scope="col">{t("translations:coverage")}</th>
                <th scope="col">{t("translations:missing")}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => (
                <tr key={row.key}>
                  <th scope="row">
                    <span lang={row.nameLang ?? undefined} dir="auto">{row.name}</span>
                    <br />
                    <code className="muted">{row.key}</code>
                    {row.version !== undefined ? <span className="muted"> · {t("translations:version", { version: row.version })}</span> : null}
                  </th>
                  <td>{t("translations:presentOf", { present: row.present, total })}</td>
                  <td>
                    {row.missing.length === 0 ? (
                      t("translations:complete")
                    ) : (
                      <ul className="tags">
                        {row.missing.map((l) => {
                          const href = linkFor(row, l);
                          return (
                            <li key={l} className="tag register-missing" lang={l}>
                              {href ? <Link to={href} hrefLang={l}>{LANGUAGE_NAMES[l]}</Link> : LANGUAGE_NAMES[l]}
                            </li>
                          );
                        })}
                      </ul>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableRegion>
      )}
    </section>
  );
}
