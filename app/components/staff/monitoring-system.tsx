import { useTranslation } from "~/utils/i18n";
import { BarChart, type BarChartRow } from "~/components/staff/reports-chart";
import { ReportTable } from "~/components/staff/reports-section";

type Metric = "deny_share" | "expired_share" | "breaches" | "concerns_per_1000" | "reviewed_share" | "upheld";

/** One week of one system, every number already formatted on the server. */
export interface MonitoringWeekView {
  week: string;
  startText: string;
  decisions: { allow: number; ask: number; deny: number; total: number };
  decisionTexts: { allow: string; ask: string; deny: string };
  confirmationTexts: { approved: string; declined: string; expired: string };
  breachesText: string;
  interactionsText: string;
  concernsText: string;
  upheldText: string;
  metrics: Record<Metric, number | null>;
  metricTexts: Record<Metric, string | null>;
}

export interface MonitoringSystemView {
  systemId: number;
  slug: string;
  name: string;
  weeks: MonitoringWeekView[];
  reasons: { decision: string; reason: string; count: number; countText: string }[];
}

/** The charts shown per system: one metric each, with its numbers as a table right below. */
const CHARTS: { metric: Metric; unit: "percent" | "per_1000" | "count" }[] = [
  { metric: "deny_share", unit: "percent" },
  { metric: "reviewed_share", unit: "percent" },
  { metric: "concerns_per_1000", unit: "per_1000" },
];

/** One AI system: a chart per key metric (each with its table), every weekly figure, and the decision reasons. */
export function MonitoringSystem({ system }: { system: MonitoringSystemView }) {
  const { t } = useTranslation();
  const headingId = `monitoring-system-${system.systemId}`;
  const weekLabel = (w: MonitoringWeekView) => t("monitoring:weekLabel", { week: w.week, start: w.startText });
  const noData = t("monitoring:noData");
  const valueText = (unit: string, text: string | null) => (text === null ? noData : t(`monitoring:units.${unit}`, { value: text }));
  const describe = (rows: BarChartRow[]) => t("monitoring:chartDesc", { list: rows.map((r) => `${r.label}: ${r.valueText}`).join("; ") });
  return (
    <section className="card stack reports-section" aria-labelledby={headingId}>
      <h2 id={headingId}>{system.name}</h2>
      {CHARTS.map(({ metric, unit }) => {
        const title = t(`monitoring:metrics.${metric}`);
        const rows = system.weeks.map((w) => ({ label: weekLabel(w), values: [w.metrics[metric] ?? 0], valueText: valueText(unit, w.metricTexts[metric]) }));
        return (
          <div key={metric} className="stack-sm">
            <h3>{title}</h3>
            <BarChart title={t("monitoring:chartTitle", { metric: title, system: system.name })} description={describe(rows)} rows={rows} max={unit === "percent" ? 100 : undefined} />
            <ReportTable
              caption={t("monitoring:chartTitle", { metric: title, system: system.name })}
              columns={[{ label: t("monitoring:table.week") }, { label: title, numeric: true }]}
              rows={rows.map((r, i) => ({ key: system.weeks[i]!.week, cells: [r.label, r.valueText] }))}
            />
          </div>
        );
      })}
      <h3>{t("monitoring:table.allTitle")}</h3>
      <ReportTable
        caption={t("monitoring:table.allCaption", { system: system.name })}
        columns={[
          { label: t("monitoring:table.week") },
          { label: t("monitoring:table.allow"), numeric: true },
          { label: t("monitoring:table.ask"), numeric: true },
          { label: t("monitoring:table.deny"), numeric: true },
          { label: t("monitoring:table.approved"), numeric: true },
          { label: t("monitoring:table.declined"), numeric: true },
          { label: t("monitoring:table.expired"), numeric: true },
          { label: t("monitoring:table.breaches"), numeric: true },
          { label: t("monitoring:table.interactions"), numeric: true },
          { label: t("monitoring:table.reviewedShare"), numeric: true },
          { label: t("monitoring:table.concerns"), numeric: true },
          { label: t("monitoring:table.per1000"), numeric: true },
          { label: t("monitoring:table.upheld"), numeric: true },
        ]}
        rows={system.weeks.map((w) => ({
          key: w.week,
          cells: [
            weekLabel(w),
            w.decisionTexts.allow,
            w.decisionTexts.ask,
            w.decisionTexts.deny,
            w.confirmationTexts.approved,
            w.confirmationTexts.declined,
            w.confirmationTexts.expired,
            w.breachesText,
            w.interactionsText,
            valueText("percent", w.metricTexts.reviewed_share),
            w.concernsText,
            valueText("per_1000", w.metricTexts.concerns_per_1000),
            w.upheldText,
          ],
        }))}
      />
      <h3>{t("monitoring:reasons.title")}</h3>
      {system.reasons.length === 0 ? (
        <p className="muted">{t("monitoring:reasons.none")}</p>
      ) : (
        <ReportTable
          caption={t("monitoring:reasons.caption", { system: system.name })}
          columns={[{ label: t("monitoring:reasons.reason") }, { label: t("monitoring:reasons.answer") }, { label: t("monitoring:reasons.count"), numeric: true }]}
          rows={system.reasons.map((r) => ({
            key: `${r.decision}:${r.reason}`,
            cells: [t(`monitoring:reasonCodes.${r.reason}`, { defaultValue: r.reason }), t(`monitoring:table.${r.decision}`, { defaultValue: r.decision }), r.countText],
          }))}
        />
      )}
    </section>
  );
}
