import type { TFunction } from "i18next";
import { data } from "react-router";
import { parseReportRange } from "~/components/staff/reports-filter";
import {
  breachesBySystemAndWeek,
  choiceRates,
  concernsByKind,
  concernsBySystem,
  concernsByWeek,
  employeeReportFigures,
  isReportName,
  outcomes,
  resolveRange,
  responseTimes,
  toCsv,
  type CsvCell,
  type ReportName,
  type ReportRange,
} from "~/domain/reports.server";
import { servicesContext } from "~/context";
import { getI18n, getLang } from "~/middleware/i18n.server";
import { requireStaff } from "~/middleware/staff.server";
import type { Db } from "~/utils/db.server";
import { env } from "~/utils/env.server";
import { translateError } from "~/utils/forms";
import type { Route } from "./+types/reports-csv";

type Cell = CsvCell;

/** Numbers in the file are plain (dot decimals), for spreadsheets and scripts alike. */
const round = (value: number | null, digits: number) => (value === null ? null : Number(value.toFixed(digits)));
const percent = (share: number | null) => round(share === null ? null : share * 100, 1);

async function table(db: Db, report: ReportName, range: ReportRange, lang: string, t: TFunction): Promise<Cell[][]> {
  switch (report) {
    case "by-system":
      return [
        [t("reports:bySystem.system"), t("reports:csv.identifier"), t("reports:concerns")],
        ...(await concernsBySystem(db, range, lang)).map((r) => [r.name ?? t("reports:bySystem.noSystem"), r.slug, r.count]),
      ];
    case "by-kind":
      return [
        [t("reports:byKind.kind"), t("reports:csv.code"), t("reports:concerns")],
        ...(await concernsByKind(db, range)).map((r) => [t(`concernKinds.${r.kind}`, { defaultValue: r.kind }), r.kind, r.count]),
      ];
    case "by-week":
      return [
        [t("reports:csv.isoWeek"), t("reports:byWeek.starts"), t("reports:concerns")],
        ...(await concernsByWeek(db, range)).map((w) => [w.isoWeek, w.monday, w.count]),
      ];
    case "response-times": {
      const times = await responseTimes(db, range);
      return [
        [t("reports:responseTimes.measure"), t("reports:responseTimes.measured"), t("reports:csv.medianHours"), t("reports:csv.p90Hours")],
        ...(["firstResponse", "resolution"] as const).map((key) => [
          t(`reports:responseTimes.${key}`),
          times[key].count,
          round(times[key].medianHours, 2),
          round(times[key].p90Hours, 2),
        ]),
      ];
    }
    case "outcomes": {
      const result = await outcomes(db, range);
      return [
        [t("reports:outcomes.outcome"), t("reports:csv.code"), t("reports:concerns"), t("reports:csv.sharePercent")],
        ...result.byOutcome.map((o) => [t(`reports:outcomes.codes.${o.code}`, { defaultValue: o.code }), o.code, o.count, percent(o.share)]),
        [t("reports:outcomes.upheldTotal"), "upheld_total", result.upheld, percent(result.shareUpheld)],
        [t("reports:outcomes.resolvedTotal"), "resolved_total", result.resolved, result.resolved === 0 ? null : 100],
      ];
    }
    case "choices": {
      const rates = await choiceRates(db, lang);
      return [
        [
          t("reports:choices.choiceOnly"),
          t("reports:csv.identifier"),
          t("reports:choices.value"),
          t("reports:choices.explicit"),
          t("reports:choices.byDefault"),
          t("reports:choices.total"),
          t("reports:csv.sharePercent"),
        ],
        ...rates.choices.flatMap((c) =>
          c.values.map((v) => [c.label, c.key, t(`reports:values.${v.value}`, { defaultValue: v.value }), v.explicit, v.byDefault, v.total, percent(v.share)]),
        ),
      ];
    }
    case "breaches": {
      // One row per week and AI system: easy to filter and sum in a spreadsheet or a script.
      const report = await breachesBySystemAndWeek(db, range, lang);
      return [
        [t("reports:csv.isoWeek"), t("reports:byWeek.starts"), t("reports:bySystem.system"), t("reports:csv.identifier"), t("reports:breaches.count")],
        ...report.weeks.flatMap((w) => report.systems.map((s, i) => [w.isoWeek, w.monday, s.name ?? s.slug, s.slug, w.counts[i]!])),
      ];
    }
  }
}

/** GET /staff/reports/<report>.csv?from=&to= — one report as CSV, headers in the staff member's language. */
/** Employees' reports (SPEC §12): one row per week, AI system and kind — never who reported. */
async function employeeReportRows(db: Db, range: ReportRange, lang: string, t: TFunction): Promise<Cell[][]> {
  const figures = await employeeReportFigures(db, range, lang);
  return [
    [t("reports:employee.dimension"), t("reports:csv.code"), t("reports:employee.label"), t("reports:employee.reports")],
    ...figures.byWeek.map((w) => [t("reports:employee.dimensionWeek"), w.isoWeek, w.monday, w.count]),
    ...figures.bySystem.map((r) => [t("reports:employee.dimensionSystem"), r.slug, r.name ?? t("reports:bySystem.noSystem"), r.count]),
    ...figures.byKind.map((r) => [t("reports:employee.dimensionKind"), r.kind, t(`concernKinds.${r.kind}`, { defaultValue: r.kind }), r.count]),
  ];
}

export async function loader({ request, context, params }: Route.LoaderArgs) {
  requireStaff(context, request, "reports.view");
  const { db } = context.get(servicesContext);
  if (!isReportName(params.report) && params.report !== "employee-reports") throw data(null, { status: 404 });
  const lang = getLang(context);
  const t = getI18n(context).getFixedT(lang);
  const submission = parseReportRange(new URL(request.url).searchParams);
  const badRequest = (message: string) =>
    new Response(translateError(t, message), { status: 400, headers: { "Content-Type": "text/plain; charset=utf-8" } });
  if (submission.status !== "success") {
    const first = Object.values(submission.error ?? {}).flat().find((e): e is string => typeof e === "string");
    return badRequest(first ?? "errors.invalid");
  }
  const resolved = resolveRange(submission.value, Date.now(), env().DISPLAY_TIME_ZONE);
  if (!resolved.ok) return badRequest(`reports:errors.${resolved.error}`);
  const { range } = resolved;
  const rows = params.report === "employee-reports" ? await employeeReportRows(db, range, lang, t) : await table(db, params.report as ReportName, range, lang, t);
  return new Response(toCsv(rows), {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="candor-${params.report}-${range.from}-to-${range.to}.csv"`,
      "Cache-Control": "private, no-store",
      "X-Content-Type-Options": "nosniff",
    },
  });
}
