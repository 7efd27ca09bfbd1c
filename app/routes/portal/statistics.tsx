import { useTranslation } from "~/utils/i18n";
import { PageHeader } from "~/components/page-header";
import type { ScriptsAfterPaintHandle } from "~/components/page-scripts";
import { TableRegion } from "~/components/table-region";
import { Time } from "~/components/time";
import { servicesContext } from "~/context";
import { FEWER_THAN_FIVE, publicStatistics, type PublicCount, type SystemQuarterFigures } from "~/domain/public-statistics.server";
import { getLang } from "~/middleware/i18n.server";
import { dateFor, formatNumber } from "~/utils/format.server";
import type { Route } from "./+types/statistics";

// A page to read: it paints before its JavaScript loads.
export const handle: ScriptsAfterPaintHandle = { scriptsAfterPaint: true };

/** A published figure as text: the number, or null for "fewer than 5" / "not enough answers". */
type Cell = string | null;

export async function loader({ context }: Route.LoaderArgs) {
  const { db } = context.get(servicesContext);
  const lang = getLang(context);
  const stats = await publicStatistics(db, lang, Date.now());
  const count = (n: PublicCount): Cell => (n === FEWER_THAN_FIVE ? null : formatNumber(n, lang));
  const hours = (seconds: number | null): Cell => (seconds === null ? null : formatNumber(Math.round(seconds / 360) / 10, lang));
  const row = (f: SystemQuarterFigures) => ({ received: count(f.received), resolved: count(f.resolved), upheld: count(f.upheld), median: hours(f.medianFirstAnswerSeconds) });
  // Newest quarter first: what a reader looks for.
  const quarters = [...stats.quarters].reverse().map((q) => ({ key: q.key, year: q.year, number: q.number }));
  return {
    quarters,
    total: quarters.map((q) => ({ quarter: q.key, ...row(stats.total[q.key]!) })),
    systems: stats.systems.map((s) => ({ key: s.key, slug: s.slug, name: s.name, rows: quarters.map((q) => ({ quarter: q.key, ...row(s.quarters[q.key]!) })) })),
    accountability: quarters.map((q) => ({
      quarter: q.key,
      breaches: count(stats.breaches[q.key]!),
      audits: formatNumber(stats.audits[q.key]!.audits, lang),
      failed: formatNumber(stats.audits[q.key]!.failed, lang),
    })),
    builtAt: stats.builtAt ? dateFor(stats.builtAt, lang) : null,
    lang,
  };
}

type LoaderData = Route.ComponentProps["loaderData"];

function FiguresTable({ caption, rows, quarters }: { caption: string; rows: LoaderData["total"]; quarters: LoaderData["quarters"] }) {
  const { t } = useTranslation();
  const label = (key: string) => {
    const q = quarters.find((x) => x.key === key)!;
    return t("statistics.quarter", { number: q.number, year: q.year });
  };
  const countText = (cell: Cell) => cell ?? t("statistics.fewerThanFive");
  return (
    <TableRegion label={caption}>
      <table className="table-stack">
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{t("statistics.columns.quarter")}</th>
            <th scope="col">{t("statistics.columns.received")}</th>
            <th scope="col">{t("statistics.columns.resolved")}</th>
            <th scope="col">{t("statistics.columns.upheld")}</th>
            <th scope="col">{t("statistics.columns.medianFirstAnswer")}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.quarter}>
              <th scope="row">{label(r.quarter)}</th>
              <td data-label={t("statistics.columns.received")}>{countText(r.received)}</td>
              <td data-label={t("statistics.columns.resolved")}>{countText(r.resolved)}</td>
              <td data-label={t("statistics.columns.upheld")}>{countText(r.upheld)}</td>
              <td data-label={t("statistics.columns.medianFirstAnswer")}>{r.median === null ? t("statistics.notEnough") : t("statistics.hours", { value: r.median })}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableRegion>
  );
}

export default function Statistics({ loaderData }: Route.ComponentProps) {
  const { t } = useTranslation();
  const { quarters } = loaderData;
  const label = (key: string) => {
    const q = quarters.find((x) => x.key === key)!;
    return t("statistics.quarter", { number: q.number, year: q.year });
  };
  return (
    <div className="stack-lg">
      <PageHeader title={t("statistics.title")} lead={t("statistics.lead")} />
      <section className="stack" aria-labelledby="statistics-how">
        <h2 id="statistics-how">{t("statistics.howTitle")}</h2>
        <ul>
          <li>{t("statistics.howCounted")}</li>
          <li>{t("statistics.howUpheld")}</li>
          <li>{t("statistics.howMedian")}</li>
          <li>{t("statistics.howPrivacy")}</li>
        </ul>
        {loaderData.builtAt ? (
          <p>
            {t("statistics.updated")} <Time value={loaderData.builtAt} />
          </p>
        ) : null}
      </section>
      <section className="stack" aria-labelledby="statistics-all">
        <h2 id="statistics-all">{t("statistics.allTitle")}</h2>
        <FiguresTable caption={t("statistics.allCaption")} rows={loaderData.total} quarters={quarters} />
      </section>
      <section className="stack" aria-labelledby="statistics-systems">
        <h2 id="statistics-systems">{t("statistics.systemsTitle")}</h2>
        {loaderData.systems.length === 0 ? <p>{t("statistics.noConcerns")}</p> : null}
        {loaderData.systems.map((s) => {
          const name = s.key === "" ? t("statistics.noSystem") : s.name;
          return (
            <section className="stack" key={s.key} aria-labelledby={`statistics-system-${s.key || "none"}`}>
              <h3 id={`statistics-system-${s.key || "none"}`}>
                {s.slug ? <a href={`/${loaderData.lang}/ai-systems/${s.slug}`}>{name}</a> : name}
              </h3>
              <FiguresTable caption={t("statistics.systemCaption", { name })} rows={s.rows} quarters={quarters} />
            </section>
          );
        })}
      </section>
      <section className="stack" aria-labelledby="statistics-accountability">
        <h2 id="statistics-accountability">{t("statistics.accountabilityTitle")}</h2>
        <p>{t("statistics.accountabilityLead")}</p>
        <TableRegion label={t("statistics.accountabilityCaption")}>
          <table className="table-stack">
            <caption>{t("statistics.accountabilityCaption")}</caption>
            <thead>
              <tr>
                <th scope="col">{t("statistics.columns.quarter")}</th>
                <th scope="col">{t("statistics.columns.breaches")}</th>
                <th scope="col">{t("statistics.columns.audits")}</th>
                <th scope="col">{t("statistics.columns.auditsFailed")}</th>
              </tr>
            </thead>
            <tbody>
              {loaderData.accountability.map((r) => (
                <tr key={r.quarter}>
                  <th scope="row">{label(r.quarter)}</th>
                  <td data-label={t("statistics.columns.breaches")}>{r.breaches ?? t("statistics.fewerThanFive")}</td>
                  <td data-label={t("statistics.columns.audits")}>{r.audits}</td>
                  <td data-label={t("statistics.columns.auditsFailed")}>{r.failed}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableRegion>
      </section>
    </div>
  );
}
