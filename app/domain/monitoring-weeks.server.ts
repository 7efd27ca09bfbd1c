/**
 * Monitoring's calendar and a week's figures (app/domain/monitoring.server.ts): ISO weeks in the
 * company's display time zone, and the counts of a week read back from `monitoring_figures` with
 * the metrics computed from them.
 */
import { and, eq, gte, sql } from "drizzle-orm";
import {
  monitoringFigures,
} from "../../db/schema";
import { type Db } from "../utils/db.server";

import { addDays, dayStart, isoWeek, localDay } from "../utils/calendar";

import { type MonitoringMetric } from "./monitoring-metrics";

// ── Weeks ──────────────────────────────────────────────────────────────────

/** The instant (ms) the ISO week of `ms` starts: Monday 00:00 in `timeZone`. */
export function weekStartOf(ms: number, timeZone: string): number {
  return dayStart(isoWeek(localDay(ms, timeZone)).monday, timeZone);
}

/** The ISO week label of a week start, e.g. "2026-W48". */
export function weekLabel(weekStart: number, timeZone: string): string {
  const { year, week } = isoWeek(localDay(weekStart, timeZone));
  return `${year}-W${String(week).padStart(2, "0")}`;
}

/** The starts (ms) of the `count` weeks ending with the week of `now`, oldest first. */
export function lastWeeks(now: number, count: number, timeZone: string): number[] {
  const monday = isoWeek(localDay(now, timeZone)).monday;
  return Array.from({ length: count }, (_, i) => dayStart(addDays(monday, -7 * (count - 1 - i)), timeZone));
}

/** Maps instants to week starts with one time-zone lookup per week, not per row. */
export class WeekOf {
  private start = 0;
  private end = -Infinity;
  constructor(readonly timeZone: string) {}
  of(ms: number): number {
    if (ms < this.start || ms >= this.end) {
      const monday = isoWeek(localDay(ms, this.timeZone)).monday;
      this.start = dayStart(monday, this.timeZone);
      this.end = dayStart(addDays(monday, 7), this.timeZone);
    }
    return this.start;
  }
}

// ── Figures of a week ──────────────────────────────────────────────────────

/** What was counted for one system in one week. */
export interface WeekCounts {
  decisions: Record<"allow" | "ask" | "deny", number>;
  /** Decision checks per answer and reason code, most frequent first. */
  reasons: { decision: string; reason: string; count: number }[];
  confirmations: Record<"approved" | "declined" | "expired", number>;
  breaches: number;
  /** Interactions the system took part in (by when they occurred). */
  interactions: number;
  /** Of those, checked by a person. */
  reviewed: number;
  /** Concerns filed that week naming the system (not spam, merged or breach cases). */
  concerns: number;
  /** Of those, resolved as upheld or partly upheld. */
  upheld: number;
}

export const emptyCounts = (): WeekCounts => ({
  decisions: { allow: 0, ask: 0, deny: 0 },
  reasons: [],
  confirmations: { approved: 0, declined: 0, expired: 0 },
  breaches: 0,
  interactions: 0,
  reviewed: 0,
  concerns: 0,
  upheld: 0,
});

function addFigure(counts: WeekCounts, key: string, count: number) {
  const [kind, a, b] = key.split(":");
  if (kind === "decision" && a && a in counts.decisions) counts.decisions[a as keyof WeekCounts["decisions"]] += count;
  else if (kind === "reason" && a && b) counts.reasons.push({ decision: a, reason: b, count });
  else if (kind === "answer" && a && a in counts.confirmations) counts.confirmations[a as keyof WeekCounts["confirmations"]] += count;
  else if (kind === "breaches" || kind === "interactions" || kind === "reviewed" || kind === "concerns" || kind === "upheld") counts[kind] += count;
}

const ratio = (part: number, whole: number, per: number) => (whole > 0 ? Math.round((part / whole) * per * 100) / 100 : null);

/**
 * The thresholded metrics of a week, in their units (see MONITORING_METRICS), rounded to
 * hundredths; null where the denominator is zero (no decisions, answers or interactions).
 */
export function metricValues(c: WeekCounts): Record<MonitoringMetric, number | null> {
  const decided = c.decisions.allow + c.decisions.ask + c.decisions.deny;
  const answered = c.confirmations.approved + c.confirmations.declined + c.confirmations.expired;
  return {
    deny_share: ratio(c.decisions.deny, decided, 100),
    expired_share: ratio(c.confirmations.expired, answered, 100),
    breaches: c.breaches,
    concerns_per_1000: ratio(c.concerns, c.interactions, 1000),
    reviewed_share: ratio(c.reviewed, c.interactions, 100),
    upheld: c.upheld,
  };
}

/** Counts per `${systemId}:${weekStart}` for weeks in [from, to] (a range read on the key). */
export async function readCounts(db: Db, from: number, to: number, systemId?: number): Promise<Map<string, WeekCounts>> {
  const rows = await db
    .select()
    .from(monitoringFigures)
    .where(and(gte(monitoringFigures.weekStart, from), sql`${monitoringFigures.weekStart} <= ${to}`, systemId === undefined ? undefined : eq(monitoringFigures.systemId, systemId)));
  const out = new Map<string, WeekCounts>();
  for (const row of rows) {
    const k = `${row.systemId}:${row.weekStart}`;
    let counts = out.get(k);
    if (!counts) out.set(k, (counts = emptyCounts()));
    addFigure(counts, row.key, Number(row.count));
  }
  for (const [, counts] of out) counts.reasons.sort((a, b) => b.count - a.count || a.decision.localeCompare(b.decision) || a.reason.localeCompare(b.reason));
  return out;
}
