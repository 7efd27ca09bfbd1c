import { data } from "react-router";
import { DEFAULT_MONITORING_WEEKS, parseMonitoringFilter } from "~/components/staff/monitoring-filter";
import { METRIC_NAMES, monitoringReport, refreshMonitoringFigures, type MonitoringSystemReport } from "~/domain/monitoring.server";
import { toCsv, type CsvCell } from "~/domain/reports.server";
import { servicesContext } from "~/context";
import { getI18n, getLang } from "~/middleware/i18n.server";
import { requireStaff } from "~/middleware/staff.server";
import { env } from "~/utils/env.server";
import { translateError } from "~/utils/forms";
import type { Route } from "./+types/monitoring-export";

const FORMATS = ["csv", "json"] as const;
type Format = (typeof FORMATS)[number];
const isFormat = (value: unknown): value is Format => (FORMATS as readonly unknown[]).includes(value);

/** The metrics that are not already a count column ("breaches", "upheld" are): each column once. */
const CSV_METRICS = METRIC_NAMES.filter((m) => m !== "breaches" && m !== "upheld");

/** Columns of the CSV: stable codes (not translated), so the AI provider's scripts can read every file alike. */
const CSV_HEADER = [
  "system",
  "system_name",
  "iso_week",
  "week_start",
  "decisions_allow",
  "decisions_ask",
  "decisions_deny",
  "confirmations_approved",
  "confirmations_declined",
  "confirmations_expired",
  "breaches",
  "interactions",
  "interactions_reviewed",
  "concerns",
  "concerns_upheld",
  ...CSV_METRICS,
  "decision_reasons",
];

function csvRows(systems: MonitoringSystemReport[]): CsvCell[][] {
  return [
    CSV_HEADER,
    ...systems.flatMap((s) =>
      s.weeks.map((w) => [
        s.slug,
        s.name,
        w.week,
        new Date(w.weekStart).toISOString(),
        w.decisions.allow,
        w.decisions.ask,
        w.decisions.deny,
        w.confirmations.approved,
        w.confirmations.declined,
        w.confirmations.expired,
        w.breaches,
        w.interactions,
        w.reviewed,
        w.concerns,
        w.upheld,
        ...CSV_METRICS.map((m) => w.metrics[m]),
        w.reasons.map((r) => `${r.decision}:${r.reason}=${r.count}`).join(";"),
      ]),
    ),
  ];
}

/**
 * GET /staff/monitoring.csv and /staff/monitoring.json (?system=&weeks=): the weekly monitoring
 * figures per AI system for the provider's post-market monitoring (AI Act Art. 72, 26(5)).
 * Supervisors and admins (`reports.view`); CSV cells are neutralised against formula injection.
 */
export async function loader({ request, context }: Route.LoaderArgs) {
  requireStaff(context, request, "reports.view");
  // Two routes share this loader (monitoring.csv, monitoring.json): the path's extension decides.
  const format = new URL(request.url).pathname.split(".").pop();
  if (!isFormat(format)) throw data(null, { status: 404 });
  const { db } = context.get(servicesContext);
  const lang = getLang(context);
  const t = getI18n(context).getFixedT(lang);
  const submission = parseMonitoringFilter(new URL(request.url).searchParams);
  if (submission.status !== "success") {
    const first = Object.values(submission.error ?? {}).flat().find((e): e is string => typeof e === "string");
    return new Response(translateError(t, first ?? "errors.invalid"), { status: 400, headers: { "Content-Type": "text/plain; charset=utf-8" } });
  }
  const now = Date.now();
  const timeZone = env().DISPLAY_TIME_ZONE;
  await refreshMonitoringFigures(db, now, timeZone);
  const weeks = Number(submission.value.weeks ?? DEFAULT_MONITORING_WEEKS);
  const report = await monitoringReport(db, { systemId: submission.value.system, weeks, now, lang, timeZone });
  if (submission.value.system !== undefined && report.systems.length === 0) {
    return new Response(translateError(t, "monitoring:errors.system"), { status: 400, headers: { "Content-Type": "text/plain; charset=utf-8" } });
  }
  const headers = {
    "Cache-Control": "private, no-store",
    "X-Content-Type-Options": "nosniff",
    "Content-Disposition": `attachment; filename="candor-monitoring-${new Date(now).toISOString().slice(0, 10)}.${format}"`,
  };
  if (format === "csv") return new Response(toCsv(csvRows(report.systems)), { headers: { ...headers, "Content-Type": "text/csv; charset=utf-8" } });
  const body = {
    generatedAt: new Date(now).toISOString(),
    timeZone: report.timeZone,
    units: { deny_share: "percent", expired_share: "percent", reviewed_share: "percent", breaches: "count", upheld: "count", concerns_per_1000: "per 1000 interactions" },
    systems: report.systems.map((s) => ({
      system: s.slug,
      name: s.name,
      weeks: s.weeks.map((w) => ({
        isoWeek: w.week,
        weekStart: new Date(w.weekStart).toISOString(),
        decisions: w.decisions,
        reasons: w.reasons,
        confirmations: w.confirmations,
        breaches: w.breaches,
        interactions: w.interactions,
        interactionsReviewed: w.reviewed,
        concerns: w.concerns,
        concernsUpheld: w.upheld,
        metrics: w.metrics,
      })),
    })),
  };
  return new Response(JSON.stringify(body, null, 2), { headers: { ...headers, "Content-Type": "application/json; charset=utf-8" } });
}
