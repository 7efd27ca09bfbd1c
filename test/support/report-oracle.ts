/**
 * The reports as they were computed before the pre-aggregated figures (issue 10): by scanning the
 * concerns filed in the range and every customer's choices. Test-only: the oracle the figures are
 * checked against (same numbers; durations on milliseconds, the figures on whole seconds).
 */
import { and, count, eq, gte, isNull, lt, ne, notInArray } from "drizzle-orm";
import { EXCLUDED_STATUSES, isoWeek, localDay, percentile, type ReportRange } from "../../app/domain/reports.server";
import type { Db } from "../../app/utils/db.server";
import { concerns, customers, preferences } from "../../db/schema";

const HOUR_MS = 3_600_000;

const counted = (range: ReportRange) =>
  and(gte(concerns.createdAt, range.fromMs), lt(concerns.createdAt, range.toMs), notInArray(concerns.status, [...EXCLUDED_STATUSES]), ne(concerns.origin, "breach"));

const isResolved = (c: { status: string; outcomeCode: string | null; resolvedAt: number | null }) =>
  c.resolvedAt !== null && c.outcomeCode !== null && (c.status === "resolved" || c.status === "closed");

export interface OracleReports {
  bySystem: Record<string, number>;
  byKind: Record<string, number>;
  /** Monday → concerns filed that ISO week. */
  byWeek: Record<string, number>;
  firstResponse: { count: number; medianHours: number | null; p90Hours: number | null };
  resolution: { count: number; medianHours: number | null; p90Hours: number | null };
  byOutcome: Record<string, number>;
  customers: number;
  /** "choice/value" → customers who chose it themselves (not erased). */
  explicit: Record<string, number>;
}

/** Every figure by scanning, keyed plainly for comparison. */
export async function scanReports(db: Db, range: ReportRange): Promise<OracleReports> {
  const rows = await db
    .select({ systemId: concerns.systemId, kind: concerns.kind, status: concerns.status, outcomeCode: concerns.outcomeCode, createdAt: concerns.createdAt, firstResponseAt: concerns.firstResponseAt, resolvedAt: concerns.resolvedAt })
    .from(concerns)
    .where(counted(range));
  const tally = (keys: string[]) => keys.reduce<Record<string, number>>((acc, k) => ({ ...acc, [k]: (acc[k] ?? 0) + 1 }), {});
  const stats = (hours: number[]) => {
    const sorted = hours.sort((a, b) => a - b);
    return { count: sorted.length, medianHours: percentile(sorted, 0.5), p90Hours: percentile(sorted, 0.9) };
  };
  const [active] = await db.select({ n: count() }).from(customers).where(isNull(customers.erasedAt)).limit(1);
  const explicitRows = await db
    .select({ key: preferences.choiceKey, value: preferences.value, n: count() })
    .from(preferences)
    .innerJoin(customers, eq(customers.id, preferences.customerId))
    .where(isNull(customers.erasedAt))
    .groupBy(preferences.choiceKey, preferences.value);
  return {
    bySystem: tally(rows.map((r) => String(r.systemId ?? ""))),
    byKind: tally(rows.map((r) => r.kind)),
    byWeek: tally(rows.map((r) => isoWeek(localDay(r.createdAt, range.timeZone)).monday)),
    firstResponse: stats(rows.flatMap((r) => (r.firstResponseAt === null ? [] : [(r.firstResponseAt - r.createdAt) / HOUR_MS]))),
    resolution: stats(rows.filter(isResolved).map((r) => (r.resolvedAt! - r.createdAt) / HOUR_MS)),
    byOutcome: tally(rows.filter(isResolved).map((r) => r.outcomeCode!)),
    customers: Number(active?.n ?? 0),
    explicit: Object.fromEntries(explicitRows.map((r) => [`${r.key}/${r.value}`, Number(r.n)])),
  };
}
