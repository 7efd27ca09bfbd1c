import { Link } from "react-router";
import { useTranslation } from "~/utils/i18n";
import { usePortalHref } from "./portal-link";
import { TableRegion } from "./table-region";
import { Time } from "./time";

/** "History of my choices": the latest consent events, each with its receipt (SPEC §7). */
export function ChoiceHistory({
  lang,
  history,
  total,
}: {
  lang: string;
  history: { receiptId: string; label: string; value: string; previousValue: string | null; method: string; limitsChanged: boolean; createdAt: { iso: string; text: string } }[];
  total: number;
}) {
  const { t } = useTranslation();
  const href = usePortalHref();
  return (
    <section className="card stack" aria-labelledby="history-title">
      <h2 id="history-title">{t("preferences.historyTitle")}</h2>
      {history.length === 0 ? (
        <p>{t("preferences.historyEmpty")}</p>
      ) : (
        <TableRegion label={t("preferences.historyTitle")}>
          <table className="table-stack">
            <caption className="visually-hidden">{t("preferences.historyTitle")}</caption>
            <thead>
              <tr>
                <th scope="col">{t("preferences.history.when")}</th>
                <th scope="col">{t("preferences.history.choice")}</th>
                <th scope="col">{t("preferences.history.change")}</th>
                <th scope="col">{t("preferences.history.how")}</th>
                <th scope="col">{t("preferences.history.receipt")}</th>
              </tr>
            </thead>
            <tbody>
              {history.map((e) => (
                <tr key={e.receiptId}>
                  <td data-label={t("preferences.history.when")}><Time value={e.createdAt} /></td>
                  <td data-label={t("preferences.history.choice")}>{e.label}</td>
                  <td data-label={t("preferences.history.change")}>
                    {e.previousValue && e.previousValue !== e.value
                      ? t("preferences.history.fromTo", { from: t(`choiceValues.${e.previousValue}`), to: t(`choiceValues.${e.value}`) })
                      : t(`choiceValues.${e.value}`)}
                    {e.limitsChanged ? <> {t("preferences.limits.historyChanged")}</> : null}
                  </td>
                  <td data-label={t("preferences.history.how")}>{t(`consentMethods.${e.method}`)}</td>
                  <td data-label={t("preferences.history.receipt")}>
                    <a href={href(`/${lang}/me/data/receipts/${e.receiptId}.json`)} download>
                      {t("preferences.history.download")}
                      <span className="visually-hidden"> {e.receiptId}</span>
                    </a>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableRegion>
      )}
      {total > history.length ? (
        <p><Link to={href(`/${lang}/me/data`)}>{t("preferences.historyMore", { count: total })}</Link></p>
      ) : null}
    </section>
  );
}
