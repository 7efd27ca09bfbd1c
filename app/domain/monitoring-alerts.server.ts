/**
 * Monitoring thresholds and alerts (SPEC §12; AI Act Art. 26(5), 72): admins set a threshold per
 * metric (for one AI system or all), a refresh raises one alert per system, metric and week that
 * crosses it (app/domain/monitoring.server.ts), and staff acknowledge alerts in the audit log.
 */
import { and, asc, desc, eq, isNull } from "drizzle-orm";
import {
  aiSystems,
  monitoringAlerts,
  monitoringThresholds,
} from "../../db/schema";
import { type Db } from "../utils/db.server";
import { env } from "../utils/env.server";

import { appendAudit } from "./audit.server";
import { isMonitoringMetric, isValidThreshold, METRIC_NAMES, MONITORING_METRICS, type MonitoringMetric } from "./monitoring-metrics";
import { systemNames } from "./monitoring-report.server";
import { lastWeeks, readCounts, metricValues, type WeekCounts } from "./monitoring-weeks.server";

// ── Alerts ─────────────────────────────────────────────────────────────────

/**
 * Shares and rates alert only on at least this many decisions, answers or interactions in the week:
 * one denied check out of two is not a trend (the figures themselves are shown whatever the sample).
 */
export const MIN_ALERT_SAMPLE = 20;

/** How many records a week's value of `metric` rests on (counts: the count itself is the evidence). */
function sampleOf(c: WeekCounts, metric: MonitoringMetric): number {
  switch (metric) {
    case "deny_share":
      return c.decisions.allow + c.decisions.ask + c.decisions.deny;
    case "expired_share":
      return c.confirmations.approved + c.confirmations.declined + c.confirmations.expired;
    case "concerns_per_1000":
    case "reviewed_share":
      return c.interactions;
    default:
      return Infinity;
  }
}

/** Whether `value` crosses `threshold` for `metric` (both in the metric's unit). */
export function crosses(metric: MonitoringMetric, value: number | null, threshold: number): boolean {
  if (value === null) return false;
  const rule = MONITORING_METRICS[metric].alertWhen;
  if (rule === "at_least") return value >= threshold;
  return rule === "above" ? value > threshold : value < threshold;
}

/** Raises the alerts the thresholds call for in the given weeks (once per system, metric, week). */
export async function raiseAlerts(tx: Db, weeks: number[], now: number): Promise<number> {
  if (weeks.length === 0) return 0;
  const thresholds = await tx.select().from(monitoringThresholds);
  if (thresholds.length === 0) return 0;
  const limit = new Map(thresholds.map((t) => [`${t.systemId}:${t.metric}`, Number(t.valueHundredths)]));
  let raised = 0;
  for (const week of weeks) {
    const counts = await readCounts(tx, week, week);
    for (const [k, c] of counts) {
      const systemId = Number(k.split(":")[0]);
      const values = metricValues(c);
      for (const metric of METRIC_NAMES) {
        const hundredths = limit.get(`${systemId}:${metric}`) ?? limit.get(`0:${metric}`);
        if (hundredths === undefined || sampleOf(c, metric) < MIN_ALERT_SAMPLE || !crosses(metric, values[metric], hundredths / 100)) continue;
        const inserted = await tx
          .insert(monitoringAlerts)
          .values({ systemId, metric, weekStart: week, valueHundredths: Math.round(values[metric]! * 100), thresholdHundredths: hundredths, raisedAt: now })
          .onConflictDoNothing({ target: [monitoringAlerts.systemId, monitoringAlerts.metric, monitoringAlerts.weekStart] })
          .returning({ id: monitoringAlerts.id });
        raised += inserted.length;
      }
    }
  }
  return raised;
}

/** An alert that nobody acknowledged yet; `value`/`threshold` in the metric's unit (MONITORING_METRICS). */
export interface OpenMonitoringAlert {
  id: number;
  systemId: number;
  systemSlug: string;
  systemName: string;
  metric: string;
  /** Monday 00:00 of the week in the display time zone, ms since epoch UTC. */
  weekStart: number;
  value: number;
  threshold: number;
  raisedAt: number;
}

/** Most open alerts returned (a backlog beyond it is a monitoring failure in itself). */
const OPEN_ALERTS_LIMIT = 500;

/**
 * Alerts not yet acknowledged, newest first (at most 500): for the monitoring page and the
 * console's start page. `systemName` in `lang` (English when the system has no text in it).
 * `value` and `threshold` are in the metric's unit: percent (deny_share, expired_share,
 * reviewed_share), a count (breaches, upheld), concerns per 1,000 interactions (concerns_per_1000).
 */
export async function openMonitoringAlerts(db: Db, lang = "en"): Promise<OpenMonitoringAlert[]> {
  const rows = await db
    .select({ alert: monitoringAlerts, slug: aiSystems.slug })
    .from(monitoringAlerts)
    .innerJoin(aiSystems, eq(aiSystems.id, monitoringAlerts.systemId))
    .where(isNull(monitoringAlerts.acknowledgedAt))
    .orderBy(desc(monitoringAlerts.raisedAt), desc(monitoringAlerts.id))
    .limit(OPEN_ALERTS_LIMIT);
  const names = await systemNames(db, lang);
  return rows.map(({ alert, slug }) => ({
    id: alert.id,
    systemId: alert.systemId,
    systemSlug: slug,
    systemName: names.get(alert.systemId) ?? slug,
    metric: alert.metric,
    weekStart: Number(alert.weekStart),
    value: Number(alert.valueHundredths) / 100,
    threshold: Number(alert.thresholdHundredths) / 100,
    raisedAt: Number(alert.raisedAt),
  }));
}

/**
 * Staff acknowledge an open alert (it leaves the open list); audited as
 * `monitoring.alert_acknowledged` in the same transaction. `now`: ms since epoch UTC.
 * Returns false when no such open alert exists (unknown id, or acknowledged already).
 */
export async function acknowledgeMonitoringAlert(db: Db, actor: { id: number }, alertId: number, now: number): Promise<boolean> {
  return db.transaction(async (tx) => {
    const [alert] = await tx
      .update(monitoringAlerts)
      .set({ acknowledgedAt: now, acknowledgedBy: actor.id })
      .where(and(eq(monitoringAlerts.id, alertId), isNull(monitoringAlerts.acknowledgedAt)))
      .returning();
    if (!alert) return false;
    await appendAudit(tx, {
      actor: { type: "staff", id: actor.id },
      action: "monitoring.alert_acknowledged",
      target: { type: "monitoring_alert", id: alert.id },
      details: { systemId: alert.systemId, metric: alert.metric, weekStart: Number(alert.weekStart) },
      now,
    });
    return true;
  });
}

// ── Thresholds ─────────────────────────────────────────────────────────────

/** A threshold input the domain refuses; `code` names the field's problem for a translated message. */
export class MonitoringInputError extends Error {
  constructor(readonly field: "systemId" | "metric" | "value", readonly code: "unknown" | "range") {
    super(`monitoring ${field}: ${code}`);
  }
}

export interface MonitoringThreshold {
  id: number;
  /** 0: every system without its own threshold for the metric. */
  systemId: number;
  metric: MonitoringMetric;
  /** In the metric's unit. */
  value: number;
  updatedAt: number;
}

/** Every threshold, per metric then system ("all systems" first). */
export async function listMonitoringThresholds(db: Db): Promise<MonitoringThreshold[]> {
  const rows = await db.select().from(monitoringThresholds).orderBy(asc(monitoringThresholds.metric), asc(monitoringThresholds.systemId));
  return rows.filter((r) => isMonitoringMetric(r.metric)).map((r) => ({ id: r.id, systemId: r.systemId, metric: r.metric as MonitoringMetric, value: Number(r.valueHundredths) / 100, updatedAt: Number(r.updatedAt) }));
}

/**
 * Sets (creates or replaces) the threshold of `metric` for one system or, with systemId 0, for all
 * (admins: `admin.manage` or `settings.manage`, checked by the route). `value` in the metric's
 * unit, at most two decimals (percent 0–100; counts whole, ≥ 1; per 1,000: 0–1000). Audited as
 * `monitoring.threshold_set`; the current and the previous week are checked against it at once.
 * Throws MonitoringInputError for an unknown system or metric, or a value out of range.
 */
export async function setMonitoringThreshold(
  db: Db,
  actor: { id: number },
  input: { systemId: number; metric: string; value: number },
  now: number,
  timeZone = env().DISPLAY_TIME_ZONE,
): Promise<MonitoringThreshold> {
  if (!isMonitoringMetric(input.metric)) throw new MonitoringInputError("metric", "unknown");
  const metric = input.metric;
  if (!isValidThreshold(metric, input.value)) throw new MonitoringInputError("value", "range");
  const hundredths = Math.round(input.value * 100);
  return db.transaction(async (tx) => {
    if (input.systemId !== 0) {
      const [system] = await tx.select({ id: aiSystems.id }).from(aiSystems).where(eq(aiSystems.id, input.systemId)).limit(1);
      if (!system) throw new MonitoringInputError("systemId", "unknown");
    }
    const [row] = await tx
      .insert(monitoringThresholds)
      .values({ systemId: input.systemId, metric, valueHundredths: hundredths, updatedBy: actor.id, updatedAt: now })
      .onConflictDoUpdate({ target: [monitoringThresholds.systemId, monitoringThresholds.metric], set: { valueHundredths: hundredths, updatedBy: actor.id, updatedAt: now } })
      .returning();
    await appendAudit(tx, {
      actor: { type: "staff", id: actor.id },
      action: "monitoring.threshold_set",
      target: { type: "monitoring_threshold", id: row!.id },
      details: { systemId: input.systemId, metric, valueHundredths: hundredths },
      now,
    });
    await raiseAlerts(tx, lastWeeks(now, 2, timeZone), now);
    return { id: row!.id, systemId: row!.systemId, metric, value: hundredths / 100, updatedAt: now };
  });
}

/** Removes a threshold; audited as `monitoring.threshold_removed`. False when it did not exist. */
export async function removeMonitoringThreshold(db: Db, actor: { id: number }, thresholdId: number, now: number): Promise<boolean> {
  return db.transaction(async (tx) => {
    const [row] = await tx.delete(monitoringThresholds).where(eq(monitoringThresholds.id, thresholdId)).returning();
    if (!row) return false;
    await appendAudit(tx, {
      actor: { type: "staff", id: actor.id },
      action: "monitoring.threshold_removed",
      target: { type: "monitoring_threshold", id: row.id },
      details: { systemId: row.systemId, metric: row.metric, valueHundredths: Number(row.valueHundredths) },
      now,
    });
    return true;
  });
}
