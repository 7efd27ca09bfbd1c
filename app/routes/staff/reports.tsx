import type { SubmissionResult } from "@conform-to/react";
import { useTranslation } from "~/utils/i18n";
import { data } from "react-router";
import { Notice } from "~/components/notice";
import { PageHeader } from "~/components/page-header";
import { BarChart, type BarChartRow } from "~/components/staff/reports-chart";
import { parseReportRange, ReportsFilter } from "~/components/staff/reports-filter";
import { ReportSection, ReportTable } from "~/components/staff/reports-section";
import { buildReports, defaultRange, resolveRange, type DurationStats, type ReportRange, type Reports } from "~/domain/reports.server";
import { servicesContext } from "~/context";
import { getLang } from "~/middleware/i18n.server";
import { requireStaff } from "~/middleware/staff.server";
import { env } from "~/utils/env.server";
import { formatDate, formatNumber } from "~/utils/format.server";
import { msg } from "~/utils/forms";
import type { Route } from "./+types/reports";

/** The period from the URL: validated; on a bad value, a translated error and the default period. */
function readPeriod(request: Request, now: number, timeZone: string): { range: ReportRange; lastResult: SubmissionResult<string[]> | null } {
  const submission = parseReportRange(new URL(request.url).searchParams);
  if (submission.status !== "success") return { range: defaultRange(now, timeZone), lastResult: submission.reply() };
  const resolved = resolveRange(submission.value, now, timeZone);
  if (!resolved.ok) {
    return { range: defaultRange(now, timeZone), lastResult: submission.reply({ fieldErrors: { [resolved.field]: [msg(`reports:errors.${resolved.error}`)] } }) };
  }
  return { range: resolved.range, lastResult: null };
}

/** Every number the page shows, formatted here on the server in the staff member's language. */
function present(reports: Reports, lang: string) {
  const n = (value: number) => formatNumber(value, lang);
  const oneDecimal = (value: number) => formatNumber(Math.round(value * 10) / 10, lang);
  const percent = (share: number | null) => (share === null ? null : oneDecimal(share * 100));
  const duration = (s: DurationStats) => ({
    count: s.count,
    countText: n(s.count),
    median: s.medianHours,
    medianText: s.medianHours === null ? null : oneDecimal(s.medianHours),
    p90: s.p90Hours,
    p90Text: s.p90Hours === null ? null : oneDecimal(s.p90Hours),
  });
  const { range } = reports;
  const week = (r: Reports["byWeek"][number]) => ({
    isoWeek: r.isoWeek,
    weekText: n(r.week),
    year: String(r.year),
    startText: formatDate(r.startMs, lang, "date"),
    count: r.count,
    countText: n(r.count),
  });
  return {
    range: { from: range.from, to: range.to, fromText: formatDate(range.fromMs, lang, "date"), toText: formatDate(range.toMs - 1, lang, "date") },
    total: reports.total,
    totalText: n(reports.total),
    bySystem: reports.bySystem.map((r) => ({ key: r.slug ?? "none", name: r.name, count: r.count, countText: n(r.count) })),
    byKind: reports.byKind.map((r) => ({ kind: r.kind, count: r.count, countText: n(r.count) })),
    byWeek: reports.byWeek.map(week),
    employee: {
      total: reports.employee.total,
      totalText: n(reports.employee.total),
      bySystem: reports.employee.bySystem.map((r) => ({ key: r.slug ?? "none", name: r.name, count: r.count, countText: n(r.count) })),
      byKind: reports.employee.byKind.map((r) => ({ kind: r.kind, count: r.count, countText: n(r.count) })),
      byWeek: reports.employee.byWeek.map(week),
    },
    responseTimes: { firstResponse: duration(reports.responseTimes.firstResponse), resolution: duration(reports.responseTimes.resolution) },
    outcomes: {
      resolved: reports.outcomes.resolved,
      resolvedText: n(reports.outcomes.resolved),
      upheldText: n(reports.outcomes.upheld),
      sharePercent: percent(reports.outcomes.shareUpheld),
      rows: reports.outcomes.byOutcome.map((o) => ({ code: o.code, count: o.count, countText: n(o.count), percent: percent(o.share) })),
    },
    breaches: {
      total: reports.breaches.total,
      totalText: n(reports.breaches.total),
      systems: reports.breaches.systems.map((s) => ({ key: s.slug ?? String(s.systemId), name: s.name ?? s.slug ?? "", total: s.total, totalText: n(s.total) })),
      weeks: reports.breaches.weeks.map((w) => ({
        isoWeek: w.isoWeek,
        weekText: n(w.week),
        year: String(w.year),
        startText: formatDate(w.startMs, lang, "date"),
        countTexts: w.counts.map(n),
        total: w.total,
        totalText: n(w.total),
      })),
    },
    choices: {
      customers: reports.choices.customers,
      customersText: n(reports.choices.customers),
      rows: reports.choices.choices.map((c) => ({
        key: c.key,
        label: c.label,
        values: c.values.map((v) => ({
          value: v.value,
          isDefault: v.value === c.defaultValue,
          explicit: v.explicit,
          byDefault: v.byDefault,
          explicitText: n(v.explicit),
          byDefaultText: n(v.byDefault),
          totalText: n(v.total),
          percent: percent(v.share),
        })),
      })),
    },
  };
}

export async function loader({ request, context }: Route.LoaderArgs) {
  requireStaff(context, request, "reports.view");
  const { db } = context.get(servicesContext);
  const lang = getLang(context);
  const { range, lastResult } = readPeriod(request, Date.now(), env().DISPLAY_TIME_ZONE);
  const reports = present(await buildReports(db, range, lang), lang);
  return data({ ...reports, lastResult }, { status: lastResult ? 400 : 200 });
}

export default function ReportsPage({ loaderData }: Route.ComponentProps) {
  const { t } = useTranslation();
  const { range, lastResult, bySystem, byKind, byWeek, responseTimes, outcomes, choices, breaches, employee } = loaderData;
  const query = `?from=${range.from}&to=${range.to}`;
  const csv = (report: string) => `/staff/reports/${report}.csv${query}`;
  const pct = (value: string | null) => (value === null ? t("reports:noData") : t("reports:percent", { value }));
  const hours = (value: string | null) => (value === null ? t("reports:noData") : t("reports:hours", { value }));
  const describe = (rows: BarChartRow[]) => t("reports:chart.desc", { list: rows.map((r) => `${r.label}: ${r.valueText}`).join("; ") });
  const systemName = (name: string | null) => name ?? t("reports:bySystem.noSystem");
  const outcomeLabel = (code: string) => t(`reports:outcomes.codes.${code}`, { defaultValue: code });

  const systemRows = bySystem.map((r) => ({ label: systemName(r.name), values: [r.count], valueText: r.countText }));
  const kindRows = byKind.map((r) => ({ label: t(`concernKinds.${r.kind}`, { defaultValue: r.kind }), values: [r.count], valueText: r.countText }));
  const weekLabel = (w: (typeof byWeek)[number]) => t("reports:byWeek.weekLabel", { week: w.weekText, year: w.year });
  const weekRows = byWeek.map((w) => ({ label: weekLabel(w), values: [w.count], valueText: w.countText }));
  const timeMeasures = [
    { key: "firstResponse", stats: responseTimes.firstResponse },
    { key: "resolution", stats: responseTimes.resolution },
  ] as const;
  const timeRows = timeMeasures.flatMap(({ key, stats }) => [
    { label: t(`reports:responseTimes.${key}Median`), values: [stats.median ?? 0], valueText: hours(stats.medianText) },
    { label: t(`reports:responseTimes.${key}P90`), values: [stats.p90 ?? 0], valueText: hours(stats.p90Text) },
  ]);
  const breachWeekLabel = (w: (typeof breaches.weeks)[number]) => t("reports:byWeek.weekLabel", { week: w.weekText, year: w.year });
  const outcomeRows = outcomes.rows.map((o) => ({ label: outcomeLabel(o.code), values: [o.count], valueText: o.countText }));
  const choiceLabel = (choice: string, value: string, isDefault: boolean) =>
    t("reports:choices.rowLabel", { choice, value: t(`reports:values.${value}`, { defaultValue: value }) }) + (isDefault ? ` ${t("reports:choices.isDefault")}` : "");
  const choiceRows = choices.rows.flatMap((c) =>
    c.values.map((v) => ({ key: `${c.key}-${v.value}`, label: choiceLabel(c.label, v.value, v.isDefault), values: [v.explicit, v.byDefault], valueText: pct(v.percent), detail: v })),
  );

  return (
    <div className="stack-lg">
      <PageHeader title={t("reports:title")} lead={t("reports:lead")} />
      {lastResult ? (
        <Notice tone="error" title={t("reports:errors.title")}>
          <p>{t("reports:errors.defaultsShown")}</p>
        </Notice>
      ) : null}
      <ReportsFilter key={`${range.from}/${range.to}/${lastResult ? "error" : "ok"}`} lastResult={lastResult} defaultValue={{ from: range.from, to: range.to }} />
      <p className="reports-scope">
        {t("reports:scope", { from: range.fromText, to: range.toText })} {t("reports:total", { count: loaderData.total, formatted: loaderData.totalText })}
      </p>

      <ReportSection id="by-system" title={t("reports:bySystem.title")} intro={t("reports:bySystem.intro")} csvHref={csv("by-system")}>
        <BarChart title={t("reports:bySystem.title")} description={describe(systemRows)} rows={systemRows} />
        <ReportTable
          caption={t("reports:bySystem.title")}
          columns={[{ label: t("reports:bySystem.system") }, { label: t("reports:concerns"), numeric: true }]}
          rows={bySystem.map((r) => ({ key: r.key, cells: [systemName(r.name), r.countText] }))}
        />
      </ReportSection>

      <ReportSection id="by-kind" title={t("reports:byKind.title")} intro={t("reports:byKind.intro")} csvHref={csv("by-kind")}>
        <BarChart title={t("reports:byKind.title")} description={describe(kindRows)} rows={kindRows} />
        <ReportTable
          caption={t("reports:byKind.title")}
          columns={[{ label: t("reports:byKind.kind") }, { label: t("reports:concerns"), numeric: true }]}
          rows={byKind.map((r, i) => ({ key: r.kind, cells: [kindRows[i]!.label, r.countText] }))}
        />
      </ReportSection>

      <ReportSection id="by-week" title={t("reports:byWeek.title")} intro={t("reports:byWeek.intro")} csvHref={csv("by-week")}>
        <BarChart title={t("reports:byWeek.title")} description={describe(weekRows)} rows={weekRows} />
        <ReportTable
          caption={t("reports:byWeek.title")}
          columns={[{ label: t("reports:byWeek.week") }, { label: t("reports:byWeek.starts") }, { label: t("reports:concerns"), numeric: true }]}
          rows={byWeek.map((w) => ({ key: w.isoWeek, cells: [weekLabel(w), w.startText, w.countText] }))}
        />
      </ReportSection>

      <ReportSection id="response-times" title={t("reports:responseTimes.title")} intro={t("reports:responseTimes.intro")} csvHref={csv("response-times")}>
        <BarChart title={t("reports:responseTimes.title")} description={describe(timeRows)} rows={timeRows} />
        <ReportTable
          caption={t("reports:responseTimes.title")}
          columns={[
            { label: t("reports:responseTimes.measure") },
            { label: t("reports:responseTimes.measured"), numeric: true },
            { label: t("reports:responseTimes.median"), numeric: true },
            { label: t("reports:responseTimes.p90"), numeric: true },
          ]}
          rows={timeMeasures.map(({ key, stats }) => ({
            key,
            cells: [t(`reports:responseTimes.${key}`), stats.countText, hours(stats.medianText), hours(stats.p90Text)],
          }))}
        />
      </ReportSection>

      <ReportSection id="outcomes" title={t("reports:outcomes.title")} intro={t("reports:outcomes.intro")} csvHref={csv("outcomes")}>
        <p className="reports-headline">
          {outcomes.sharePercent === null
            ? t("reports:outcomes.noneResolved")
            : t("reports:outcomes.shareUpheld", { count: outcomes.resolved, percent: pct(outcomes.sharePercent), upheld: outcomes.upheldText, resolved: outcomes.resolvedText })}
        </p>
        <BarChart title={t("reports:outcomes.title")} description={describe(outcomeRows)} rows={outcomeRows} />
        <ReportTable
          caption={t("reports:outcomes.title")}
          columns={[{ label: t("reports:outcomes.outcome") }, { label: t("reports:concerns"), numeric: true }, { label: t("reports:outcomes.share"), numeric: true }]}
          rows={outcomes.rows.map((o) => ({ key: o.code, cells: [outcomeLabel(o.code), o.countText, pct(o.percent)] }))}
        />
      </ReportSection>

      <ReportSection id="breaches" title={t("reports:breaches.title")} intro={t("reports:breaches.intro", { formatted: breaches.totalText })} csvHref={csv("breaches")}>
        <ReportTable
          caption={t("reports:breaches.title")}
          columns={[
            { label: t("reports:byWeek.week") },
            { label: t("reports:byWeek.starts") },
            ...breaches.systems.map((s) => ({ label: s.name, numeric: true })),
            { label: t("reports:breaches.allSystems"), numeric: true },
          ]}
          rows={breaches.weeks.map((w) => ({ key: w.isoWeek, cells: [breachWeekLabel(w), w.startText, ...w.countTexts, w.totalText] }))}
        />
      </ReportSection>

      <ReportSection id="employee-reports" title={t("reports:employee.title")} intro={t("reports:employee.intro", { count: employee.total, formatted: employee.totalText })} csvHref={csv("employee-reports")}>
        <ReportTable
          caption={t("reports:employee.byWeek")}
          columns={[{ label: t("reports:byWeek.week") }, { label: t("reports:byWeek.starts") }, { label: t("reports:employee.reports"), numeric: true }]}
          rows={employee.byWeek.map((w) => ({ key: w.isoWeek, cells: [weekLabel(w), w.startText, w.countText] }))}
        />
        <ReportTable
          caption={t("reports:employee.bySystem")}
          columns={[{ label: t("reports:bySystem.system") }, { label: t("reports:employee.reports"), numeric: true }]}
          rows={employee.bySystem.map((r) => ({ key: r.key, cells: [systemName(r.name), r.countText] }))}
        />
        <ReportTable
          caption={t("reports:employee.byKind")}
          columns={[{ label: t("reports:byKind.kind") }, { label: t("reports:employee.reports"), numeric: true }]}
          rows={employee.byKind.map((r) => ({ key: r.kind, cells: [t(`concernKinds.${r.kind}`, { defaultValue: r.kind }), r.countText] }))}
        />
      </ReportSection>

      <ReportSection id="choices" title={t("reports:choices.title")} intro={t("reports:choices.intro", { customers: choices.customersText })} csvHref={csv("choices")}>
        <BarChart
          title={t("reports:choices.title")}
          description={t("reports:chart.desc", {
            list: choiceRows.map((r) => t("reports:choices.descItem", { label: r.label, share: r.valueText, explicit: r.detail.explicitText, byDefault: r.detail.byDefaultText })).join("; "),
          })}
          rows={choiceRows}
          max={choices.customers}
          series={[
            { label: t("reports:choices.explicit"), pattern: "solid" },
            { label: t("reports:choices.byDefault"), pattern: "hatched" },
          ]}
        />
        <ReportTable
          caption={t("reports:choices.title")}
          columns={[
            { label: t("reports:choices.choice") },
            { label: t("reports:choices.explicit"), numeric: true },
            { label: t("reports:choices.byDefault"), numeric: true },
            { label: t("reports:choices.total"), numeric: true },
            { label: t("reports:choices.share"), numeric: true },
          ]}
          rows={choiceRows.map((r) => ({ key: r.key, cells: [r.label, r.detail.explicitText, r.detail.byDefaultText, r.detail.totalText, r.valueText] }))}
        />
      </ReportSection>
    </div>
  );
}
