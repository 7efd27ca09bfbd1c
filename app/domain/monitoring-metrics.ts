/**
 * The monitoring metrics thresholds apply to (SPEC §12; AI Act Art. 26(5), 72), shared by the
 * domain (app/domain/monitoring.server.ts) and the page's form (client and server validation).
 * Units: percent (0–100) for the shares, a count for breaches and upheld concerns, concerns filed
 * per 1,000 interactions for concerns_per_1000. A count alerts at or above its threshold, a share
 * or a rate above it — except reviewed_share (checked by a person), which alerts below it.
 */
export const MONITORING_METRICS = {
  deny_share: { unit: "percent", alertWhen: "above" },
  expired_share: { unit: "percent", alertWhen: "above" },
  breaches: { unit: "count", alertWhen: "at_least" },
  concerns_per_1000: { unit: "per_1000", alertWhen: "above" },
  reviewed_share: { unit: "percent", alertWhen: "below" },
  upheld: { unit: "count", alertWhen: "at_least" },
} as const;

export type MonitoringMetric = keyof typeof MONITORING_METRICS;
export type MetricUnit = (typeof MONITORING_METRICS)[MonitoringMetric]["unit"];
export const METRIC_NAMES = Object.keys(MONITORING_METRICS) as [MonitoringMetric, ...MonitoringMetric[]];
export const isMonitoringMetric = (value: unknown): value is MonitoringMetric => typeof value === "string" && Object.hasOwn(MONITORING_METRICS, value);

/** The highest value a threshold may take in each unit (counts are whole and at least 1). */
export const MAX_THRESHOLD: Record<MetricUnit, number> = { percent: 100, count: 1_000_000, per_1000: 1000 };

/** Whether `value` is a threshold `metric` accepts: two decimals at most, within its unit's range. */
export function isValidThreshold(metric: MonitoringMetric, value: number): boolean {
  const unit = MONITORING_METRICS[metric].unit;
  if (!Number.isFinite(value) || value > MAX_THRESHOLD[unit] || Math.abs(value * 100 - Math.round(value * 100)) > 1e-6) return false;
  return unit === "count" ? Number.isInteger(value) && value >= 1 : value >= 0;
}
