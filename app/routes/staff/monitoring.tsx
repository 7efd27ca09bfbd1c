import type { SubmissionResult } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { useTranslation } from "~/utils/i18n";
import { data, redirect } from "react-router";
import { z } from "zod";
import { Notice } from "~/components/notice";
import { PageHeader } from "~/components/page-header";
import { FieldErrors } from "~/components/field";
import { DEFAULT_MONITORING_WEEKS, MonitoringFilter, parseMonitoringFilter } from "~/components/staff/monitoring-filter";
import { MonitoringAlerts } from "~/components/staff/monitoring-alerts";
import { MonitoringSystem } from "~/components/staff/monitoring-system";
import { MonitoringThresholds, ThresholdSchema } from "~/components/staff/monitoring-thresholds";
import {
  acknowledgeMonitoringAlert,
  METRIC_NAMES,
  MONITORING_METRICS,
  MonitoringInputError,
  monitoredSystems,
  monitoringReport,
  openMonitoringAlerts,
  refreshMonitoringFigures,
  removeMonitoringThreshold,
  listMonitoringThresholds,
  setMonitoringThreshold,
  type MonitoringMetric,
} from "~/domain/monitoring.server";
import { can } from "~/domain/permissions";
import { servicesContext } from "~/context";
import { getLang } from "~/middleware/i18n.server";
import { requireStaff } from "~/middleware/staff.server";
import { env } from "~/utils/env.server";
import { dateFor, formatDate, formatNumber } from "~/utils/format.server";
import { msg } from "~/utils/forms";
import { readForm } from "~/utils/forms.server";
import type { Route } from "./+types/monitoring";

const id = (message: string) => z.number({ error: msg(message) }).int(msg(message)).positive(msg(message)).max(Number.MAX_SAFE_INTEGER, msg(message));

const ActionSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("acknowledge"), alertId: id("invalid") }),
  z.object({ intent: z.literal("remove-threshold"), thresholdId: id("invalid") }),
  ThresholdSchema,
]);

const mayManage = (role: string) => can(role, "admin.manage") || can(role, "settings.manage");

export async function loader({ request, context }: Route.LoaderArgs) {
  const staff = requireStaff(context, request, "reports.view");
  const { db } = context.get(servicesContext);
  const lang = getLang(context);
  const url = new URL(request.url);
  const submission = parseMonitoringFilter(url.searchParams);
  const filter = submission.status === "success" ? submission.value : {};
  const systems = await monitoredSystems(db, lang);
  const unknownSystem = filter.system !== undefined && !systems.some((s) => s.id === filter.system);
  const lastResult: SubmissionResult<string[]> | null =
    submission.status !== "success" ? submission.reply() : unknownSystem ? submission.reply({ fieldErrors: { system: [msg("monitoring:errors.system")] } }) : null;
  const systemId = lastResult ? undefined : filter.system;
  const weeks = lastResult ? DEFAULT_MONITORING_WEEKS : Number(filter.weeks ?? DEFAULT_MONITORING_WEEKS);
  const now = Date.now();
  const timeZone = env().DISPLAY_TIME_ZONE;
  await refreshMonitoringFigures(db, now, timeZone);
  const report = await monitoringReport(db, { systemId, weeks, now, lang, timeZone });
  const n = (value: number) => formatNumber(value, lang);
  const nullable = (value: number | null) => (value === null ? null : n(value));
  const weekText = (weekStart: number) => formatDate(weekStart, lang, "date", timeZone);
  const done = url.searchParams.get("done")?.match(/^(acknowledged|thresholdSaved|thresholdRemoved)$/)?.[0] ?? null;
  return data(
    {
      lastResult,
      filter: { system: systemId === undefined ? "" : String(systemId), weeks: String(weeks) },
      query: `?${new URLSearchParams({ ...(systemId === undefined ? {} : { system: String(systemId) }), weeks: String(weeks) })}`,
      done,
      canManage: mayManage(staff.role),
      systems: systems.map((s) => ({ id: s.id, name: s.name })),
      metrics: METRIC_NAMES.map((m) => ({ metric: m, unit: MONITORING_METRICS[m].unit, alertWhen: MONITORING_METRICS[m].alertWhen })),
      report: report.systems.map((s) => ({
        systemId: s.systemId,
        slug: s.slug,
        name: s.name,
        weeks: s.weeks.map((w) => ({
          week: w.week,
          startText: weekText(w.weekStart),
          decisions: { ...w.decisions, total: w.decisions.allow + w.decisions.ask + w.decisions.deny },
          decisionTexts: { allow: n(w.decisions.allow), ask: n(w.decisions.ask), deny: n(w.decisions.deny) },
          confirmationTexts: { approved: n(w.confirmations.approved), declined: n(w.confirmations.declined), expired: n(w.confirmations.expired) },
          breachesText: n(w.breaches),
          interactionsText: n(w.interactions),
          concernsText: n(w.concerns),
          upheldText: n(w.upheld),
          metrics: w.metrics,
          metricTexts: Object.fromEntries(METRIC_NAMES.map((m) => [m, nullable(w.metrics[m])])) as Record<MonitoringMetric, string | null>,
        })),
        reasons: summedReasons(s.weeks).map((r) => ({ ...r, countText: n(r.count) })),
      })),
      alerts: (await openMonitoringAlerts(db, lang)).map((a) => ({
        id: a.id,
        systemName: a.systemName,
        metric: a.metric,
        weekText: weekText(a.weekStart),
        valueText: n(a.value),
        thresholdText: n(a.threshold),
        raised: dateFor(a.raisedAt, lang),
      })),
      thresholds: (await listMonitoringThresholds(db)).map((th) => ({
        id: th.id,
        systemName: th.systemId === 0 ? null : (systems.find((s) => s.id === th.systemId)?.name ?? String(th.systemId)),
        metric: th.metric,
        valueText: n(th.value),
        updated: dateFor(th.updatedAt, lang),
      })),
    },
    { status: lastResult ? 400 : 200 },
  );
}

/** Decision reasons summed over the weeks shown, most frequent first. */
function summedReasons(weeks: { reasons: { decision: string; reason: string; count: number }[] }[]) {
  const sums = new Map<string, { decision: string; reason: string; count: number }>();
  for (const w of weeks)
    for (const r of w.reasons) {
      const key = `${r.decision}:${r.reason}`;
      const sum = sums.get(key) ?? { decision: r.decision, reason: r.reason, count: 0 };
      sum.count += r.count;
      sums.set(key, sum);
    }
  return Array.from(sums, ([, sum]) => sum).sort((a, b) => b.count - a.count || a.decision.localeCompare(b.decision) || a.reason.localeCompare(b.reason));
}

export async function action({ request, context }: Route.ActionArgs) {
  const staff = requireStaff(context, request, "reports.view");
  const { db } = context.get(servicesContext);
  const submission = parseWithZod(await readForm(request), { schema: ActionSchema });
  const intent = String((submission.payload as Record<string, unknown>).intent ?? "");
  if (intent !== "acknowledge" && !mayManage(staff.role)) throw data({ reason: "no_permission" as const }, { status: 403 });
  if (submission.status !== "success") return data({ intent, result: submission.reply() }, { status: 400 });
  const value = submission.value;
  const now = Date.now();
  if (value.intent === "acknowledge") {
    if (!(await acknowledgeMonitoringAlert(db, staff, value.alertId, now))) {
      return data({ intent, result: submission.reply({ formErrors: [msg("monitoring:errors.alertGone")] }) }, { status: 404 });
    }
    return redirect("/staff/monitoring?done=acknowledged", 303);
  }
  if (value.intent === "remove-threshold") {
    if (!(await removeMonitoringThreshold(db, staff, value.thresholdId, now))) {
      return data({ intent, result: submission.reply({ formErrors: [msg("monitoring:errors.thresholdGone")] }) }, { status: 404 });
    }
    return redirect("/staff/monitoring?done=thresholdRemoved", 303);
  }
  try {
    await setMonitoringThreshold(db, staff, { systemId: value.systemId, metric: value.metric, value: value.value }, now);
  } catch (error) {
    if (!(error instanceof MonitoringInputError)) throw error;
    const field = error.field === "systemId" ? "systemId" : error.field;
    const message = error.field === "value" ? msg(`monitoring:errors.value.${MONITORING_METRICS[value.metric as MonitoringMetric]?.unit ?? "percent"}`) : msg(`monitoring:errors.${error.field}`);
    return data({ intent, result: submission.reply({ fieldErrors: { [field]: [message] } }) }, { status: 400 });
  }
  return redirect("/staff/monitoring?done=thresholdSaved", 303);
}

export default function MonitoringPage({ loaderData, actionData }: Route.ComponentProps) {
  const { t } = useTranslation();
  const { lastResult, filter, query, done, canManage, systems, metrics, report, alerts, thresholds } = loaderData;
  const thresholdResult = actionData?.intent === "threshold" ? actionData.result : undefined;
  const rowErrors = actionData && actionData.intent !== "threshold" ? Object.values(actionData.result.error ?? {}).flatMap((e) => e ?? []) : [];
  return (
    <div className="stack-lg">
      <PageHeader title={t("monitoring:title")} lead={t("monitoring:lead")} />
      {done && !actionData ? <Notice tone="success" title={t(`monitoring:done.${done}`)} /> : null}
      {lastResult ? (
        <Notice tone="error" title={t("monitoring:errors.title")}>
          <p>{t("monitoring:errors.defaultsShown")}</p>
        </Notice>
      ) : null}
      {rowErrors.length ? (
        <Notice tone="error" title={t("errors.formTitle")}>
          <FieldErrors id="monitoring-row-error" errors={rowErrors} t={t} />
        </Notice>
      ) : null}
      <MonitoringAlerts alerts={alerts} />
      <MonitoringFilter key={`${filter.system}/${filter.weeks}/${lastResult ? "error" : "ok"}`} lastResult={lastResult} defaultValue={filter} systems={systems} />
      <p className="toolbar">
        <a href={`/staff/monitoring.csv${query}`} className="button button--secondary" download>{t("monitoring:export.csv")}</a>
        <a href={`/staff/monitoring.json${query}`} className="button button--secondary" download>{t("monitoring:export.json")}</a>
      </p>
      {report.map((system) => (
        <MonitoringSystem key={system.systemId} system={system} />
      ))}
      <MonitoringThresholds thresholds={thresholds} systems={systems} metrics={metrics} canManage={canManage} lastResult={thresholdResult} />
    </div>
  );
}
