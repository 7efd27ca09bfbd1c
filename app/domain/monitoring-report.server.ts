/** The monitoring page's and exports' read of the weekly figures (app/domain/monitoring.server.ts). */
import { asc, eq, inArray } from "drizzle-orm";
import {
  aiSystems,
  aiSystemTexts,
} from "../../db/schema";
import { type Db } from "../utils/db.server";
import { env } from "../utils/env.server";

import { type MonitoringMetric } from "./monitoring-metrics";
import { emptyCounts, lastWeeks, readCounts, weekLabel, metricValues, type WeekCounts } from "./monitoring-weeks.server";

// ── The report ─────────────────────────────────────────────────────────────

export async function systemNames(db: Db, lang: string): Promise<Map<number, string>> {
  const rows = await db
    .select({ systemId: aiSystemTexts.systemId, lang: aiSystemTexts.lang, name: aiSystemTexts.name })
    .from(aiSystemTexts)
    .where(inArray(aiSystemTexts.lang, [...new Set([lang, "en"])]));
  const names = new Map<number, string>();
  for (const r of rows) if (r.lang === lang || !names.has(r.systemId)) names.set(r.systemId, r.name);
  return names;
}

export interface MonitoringWeek extends WeekCounts {
  weekStart: number;
  /** ISO week, e.g. "2026-W48". */
  week: string;
  metrics: Record<MonitoringMetric, number | null>;
}

export interface MonitoringSystemReport {
  systemId: number;
  slug: string;
  name: string;
  weeks: MonitoringWeek[];
}

/** Weeks a report may span. */
export const REPORT_WEEKS = [4, 8, 12, 26, 52] as const;

/**
 * The monitoring report: per AI system (one, or every registered system), the `weeks` weeks ending
 * with the week of `now` (oldest first), counts and metrics — read from the weekly figures only (a
 * range read of weeks × systems × keys rows, whatever the number of decisions). Call
 * `refreshMonitoringFigures` first to include what arrived since the last tick.
 */
export async function monitoringReport(
  db: Db,
  options: { systemId?: number; weeks: number; now: number; lang: string; timeZone?: string },
): Promise<{ timeZone: string; weekStarts: number[]; systems: MonitoringSystemReport[] }> {
  const timeZone = options.timeZone ?? env().DISPLAY_TIME_ZONE;
  const weekStarts = lastWeeks(options.now, options.weeks, timeZone);
  const systems = await db
    .select({ id: aiSystems.id, slug: aiSystems.slug })
    .from(aiSystems)
    .where(options.systemId === undefined ? undefined : eq(aiSystems.id, options.systemId))
    .orderBy(asc(aiSystems.id));
  const names = await systemNames(db, options.lang);
  const counts = await readCounts(db, weekStarts[0]!, weekStarts.at(-1)!, options.systemId);
  return {
    timeZone,
    weekStarts,
    systems: systems.map((s) => ({
      systemId: s.id,
      slug: s.slug,
      name: names.get(s.id) ?? s.slug,
      weeks: weekStarts.map((weekStart) => {
        const c = counts.get(`${s.id}:${weekStart}`) ?? emptyCounts();
        return { ...c, weekStart, week: weekLabel(weekStart, timeZone), metrics: metricValues(c) };
      }),
    })),
  };
}

/** The registered AI systems (id, slug, name in `lang`): the page's filter and threshold form. */
export async function monitoredSystems(db: Db, lang: string): Promise<{ id: number; slug: string; name: string }[]> {
  const systems = await db.select({ id: aiSystems.id, slug: aiSystems.slug }).from(aiSystems).orderBy(asc(aiSystems.id));
  const names = await systemNames(db, lang);
  return systems.map((s) => ({ ...s, name: names.get(s.id) ?? s.slug }));
}

