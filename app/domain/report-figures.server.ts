/**
 * Pre-aggregated report figures (SPEC §4 "Reports", AI Act Art. 26(5), Art. 72): what the monitoring
 * reports read instead of scanning every concern and every customer's choices, so a report costs
 * the same at ten thousand customers as at a million.
 *
 * How they stay current — triggers on both engines (migration sqlite/0014, postgres/0004), because
 * preferences and concerns are written by more than the domain (the hot path's prepared statements,
 * seeds, bulk loads, tests) and a trigger sees every writer:
 * - concerns: every insert, delete, or update of a column the reports read queues the concern's
 *   filing time (old and new) in `report_concern_changes`; `refreshReportFigures` takes the queue
 *   and recomputes only the local days those instants fall on (one range read on
 *   `concerns.created_at` per run of consecutive days). No watermark: a transaction that commits
 *   late leaves its queue row behind, and the next refresh picks it up.
 * - choices: every preference written or deleted for a customer who is not erased, every customer
 *   created, erased or deleted, appends +1/-1 to `report_choice_changes` (inserts only, so no counter
 *   row is locked by concurrent saves); the refresh adds the queue into `report_choice_figures`.
 * The refresh runs before a report is read and on the delivery worker's tick; one at a time (SQLite:
 * the IMMEDIATE transaction; PostgreSQL: an advisory lock), idempotent, safe with several instances.
 * A full rebuild (`rebuildReportFigures`) runs when the figures were built for another display time
 * zone or never (the migration leaves the state row empty), and on demand (CLI, after bulk loads).
 * The state row's `built_at` is the figures' version: raised (to now, or by one) by every change.
 *
 * Durations are kept in whole seconds (rounded to the nearest): a percentile differs from the one
 * computed on milliseconds by at most half a second (interpolation moves no further than its inputs).
 */
import { and, asc, eq, gte, inArray, lt, lte, ne, notInArray, sql } from "drizzle-orm";
import {
  concerns,
  customers,
  preferences,
  reportChoiceChanges,
  reportChoiceFigures,
  reportConcernChanges,
  reportConcernDays,
  reportConcernDurations,
  reportFiguresState,
} from "../../db/schema";
import { executeSql, forEngine, type Db } from "../utils/db.server";
import { env } from "../utils/env.server";
import { addDays, dayStart, localDay, type IsoDay } from "../utils/calendar";

/** Statuses that are not concerns about AI at all (spam, merged duplicates). */
const EXCLUDED_STATUSES = ["spam", "merged"];
/** The state row's id. */
const STATE_ID = 1;
/** `report_choice_figures` row counting the customers themselves (not erased). */
export const CUSTOMERS_KEY = "";
/** Rows per multi-row insert (SQLite's limit on bound values stays far away). */
const INSERT_CHUNK = 500;
/**
 * Days recomputed per transaction of an incremental refresh: bounds how long one refresh holds
 * SQLite's single writer (decisions wait for it) after a burst of changes.
 */
const DAYS_PER_REFRESH = 31;

/**
 * What concerns are counted by: every counted concern by system and kind (and outcome once
 * resolved); employees' reports (origin "employee", SPEC §12) a second time by system and kind,
 * so their own figures are read like the others.
 */
const DIMENSIONS = ["system", "kind", "outcome", "employee_system", "employee_kind"] as const;
const MEASURES = ["first_response", "resolution"] as const;
export type ConcernDimension = (typeof DIMENSIONS)[number];
export type DurationMeasure = (typeof MEASURES)[number];

/** What one concern contributes to the figures of its day of filing. */
interface ConcernFacts {
  status: string;
  origin: string;
  kind: string;
  systemId: number | null;
  outcomeCode: string | null;
  createdAt: number;
  firstResponseAt: number | null;
  resolvedAt: number | null;
}

const factColumns = {
  status: concerns.status,
  origin: concerns.origin,
  kind: concerns.kind,
  systemId: concerns.systemId,
  outcomeCode: concerns.outcomeCode,
  createdAt: concerns.createdAt,
  firstResponseAt: concerns.firstResponseAt,
  resolvedAt: concerns.resolvedAt,
};

/** Counted: not spam, not merged, not a case Candor opened for a permission breach. */
const isCounted = (c: ConcernFacts) => !EXCLUDED_STATUSES.includes(c.status) && c.origin !== "breach";
/** Resolved now: with an outcome, and still resolved or closed (a reopened concern is not). */
const isResolved = (c: ConcernFacts) => c.resolvedAt !== null && c.outcomeCode !== null && (c.status === "resolved" || c.status === "closed");
const toSeconds = (ms: number) => Math.round(ms / 1000);

/** Per day: counts per dimension key, and seconds → concerns per measure. */
class DayFigures {
  readonly counts = new Map<string, number>();
  readonly durations = new Map<string, number>();

  add(c: ConcernFacts) {
    if (!isCounted(c)) return;
    this.bump(this.counts, `system\u0000${c.systemId ?? ""}`);
    this.bump(this.counts, `kind\u0000${c.kind}`);
    if (c.origin === "employee") {
      this.bump(this.counts, `employee_system\u0000${c.systemId ?? ""}`);
      this.bump(this.counts, `employee_kind\u0000${c.kind}`);
    }
    if (isResolved(c)) {
      this.bump(this.counts, `outcome\u0000${c.outcomeCode}`);
      this.bump(this.durations, `resolution\u0000${toSeconds(c.resolvedAt! - c.createdAt)}`);
    }
    if (c.firstResponseAt !== null) this.bump(this.durations, `first_response\u0000${toSeconds(c.firstResponseAt - c.createdAt)}`);
  }

  private bump(map: Map<string, number>, key: string) {
    map.set(key, (map.get(key) ?? 0) + 1);
  }
}

/** Groups concerns (any order) by their local day of filing; a time-zone lookup per day, not per concern. */
function byDay(rows: ConcernFacts[], timeZone: string): Map<IsoDay, DayFigures> {
  const days = new Map<IsoDay, DayFigures>();
  const sorted = [...rows].sort((a, b) => a.createdAt - b.createdAt);
  let day: IsoDay | null = null;
  let end = -Infinity;
  for (const row of sorted) {
    if (row.createdAt >= end || day === null) {
      day = localDay(row.createdAt, timeZone);
      end = dayStart(addDays(day, 1), timeZone);
    }
    let figures = days.get(day);
    if (!figures) days.set(day, (figures = new DayFigures()));
    figures.add(row);
  }
  return days;
}

async function insertChunks<T>(rows: T[], insert: (chunk: T[]) => Promise<unknown>) {
  for (let i = 0; i < rows.length; i += INSERT_CHUNK) await insert(rows.slice(i, i + INSERT_CHUNK));
}

/** Writes the figures of `days` (each already cleared), skipping days without counted concerns. */
async function writeDays(tx: Db, days: Map<IsoDay, DayFigures>) {
  const counts: (typeof reportConcernDays.$inferInsert)[] = [];
  const durations: (typeof reportConcernDurations.$inferInsert)[] = [];
  for (const [day, figures] of days) {
    for (const [key, n] of figures.counts) {
      const [dimension, value] = key.split("\u0000") as [string, string];
      counts.push({ dimension, day, key: value, concerns: n });
    }
    for (const [key, n] of figures.durations) {
      const [measure, seconds] = key.split("\u0000") as [string, string];
      durations.push({ measure, day, seconds: Number(seconds), concerns: n });
    }
  }
  await insertChunks(counts, (chunk) => tx.insert(reportConcernDays).values(chunk));
  await insertChunks(durations, (chunk) => tx.insert(reportConcernDurations).values(chunk));
}

/** One writer of the figures at a time across instances (PostgreSQL; SQLite's IMMEDIATE transaction already is). */
async function lockFigures(tx: Db): Promise<void> {
  await forEngine(tx, {
    sqlite: async () => undefined,
    postgres: async () => {
      await executeSql(tx, sql`select pg_advisory_xact_lock(hashtextextended('candor.report_figures', 0))`);
    },
  });
}

/** Sums queued +1/-1 per (choice, value) into the figures. */
async function applyChoiceChanges(tx: Db, changes: { choiceKey: string; value: string; delta: number }[]) {
  const sums = new Map<string, number>();
  for (const c of changes) {
    const key = `${c.choiceKey}\u0000${c.value}`;
    sums.set(key, (sums.get(key) ?? 0) + Number(c.delta));
  }
  for (const [key, delta] of sums) {
    if (delta === 0) continue;
    const [choiceKey, value] = key.split("\u0000") as [string, string];
    await tx
      .insert(reportChoiceFigures)
      .values({ choiceKey, value, customers: delta })
      .onConflictDoUpdate({ target: [reportChoiceFigures.choiceKey, reportChoiceFigures.value], set: { customers: sql`${reportChoiceFigures.customers} + ${delta}` } });
  }
}

/**
 * Consecutive days merged into runs [start, end) of instants, so one range read on
 * `concerns.created_at` covers each run.
 */
function runsOf(days: IsoDay[], timeZone: string): { startMs: number; endMs: number }[] {
  const runs: { from: IsoDay; to: IsoDay }[] = [];
  for (const day of [...days].sort()) {
    const last = runs.at(-1);
    if (last && addDays(last.to, 1) === day) last.to = day;
    else runs.push({ from: day, to: day });
  }
  return runs.map((r) => ({ startMs: dayStart(r.from, timeZone), endMs: dayStart(addDays(r.to, 1), timeZone) }));
}

export interface RefreshResult {
  /** True when every figure was built from scratch (first run, another time zone). */
  rebuilt: boolean;
  /** Local days whose concern figures were recomputed. */
  days: number;
  /** Queued choice changes added into the figures. */
  choiceChanges: number;
  /**
   * The figures' version after the refresh: it grows whenever any figure changes (on any
   * instance), so a computation from the figures can be kept as long as the version is the same.
   */
  version: number;
}

/** The next version: above the last one, and the time of the change when the clock allows. */
const nextVersion = (last: number | undefined, now: number) => Math.max((last ?? 0) + 1, now);

/**
 * Brings the figures up to date with every change committed so far: folds the queues into the
 * figures in one transaction per 31 days touched, or rebuilds everything when the state row says so.
 * Cost: the queued changes and the concerns filed on the days they touch, never the whole table.
 * `timeZone`: the display time zone (IANA) the report days are counted in (default
 * DISPLAY_TIME_ZONE); `now`: ms since epoch, recorded as the build time. Returns what it did.
 * Safe to call from several instances at once and as often as wanted (nothing queued: one
 * one-row read).
 */
export async function refreshReportFigures(db: Db, timeZone = env().DISPLAY_TIME_ZONE, now = Date.now()): Promise<RefreshResult> {
  // One round trip when nothing is queued (the common case: every report read starts here).
  const [state] = await db
    .select({
      timeZone: reportFiguresState.timeZone,
      version: reportFiguresState.builtAt,
      queued: sql<unknown>`(exists (select 1 from ${reportConcernChanges}) or exists (select 1 from ${reportChoiceChanges}))`,
    })
    .from(reportFiguresState)
    .where(eq(reportFiguresState.id, STATE_ID))
    .limit(1);
  if (state?.timeZone !== timeZone) {
    const { version } = await rebuildReportFigures(db, timeZone, now);
    return { rebuilt: true, days: 0, choiceChanges: 0, version };
  }
  // SQLite answers 0/1, PostgreSQL a boolean.
  if (!state.queued) return { rebuilt: false, days: 0, choiceChanges: 0, version: state.version };

  const result: RefreshResult = { rebuilt: false, days: 0, choiceChanges: 0, version: state.version };
  let more = true;
  while (more) {
    more = await db.transaction(async (tx) => {
      await lockFigures(tx);
      const [current] = await tx.select({ timeZone: reportFiguresState.timeZone, version: reportFiguresState.builtAt }).from(reportFiguresState).where(eq(reportFiguresState.id, STATE_ID)).limit(1);
      // Another instance changed the time zone meanwhile: its rebuild covered everything.
      if (current?.timeZone !== timeZone) return false;
      result.version = nextVersion(current.version, now);
      await tx.update(reportFiguresState).set({ builtAt: result.version }).where(eq(reportFiguresState.id, STATE_ID));
      const choiceChanges = await tx.delete(reportChoiceChanges).returning({ choiceKey: reportChoiceChanges.choiceKey, value: reportChoiceChanges.value, delta: reportChoiceChanges.delta });
      await applyChoiceChanges(tx, choiceChanges);
      result.choiceChanges += choiceChanges.length;

      const queued = await tx.select({ id: reportConcernChanges.id, filedAt: reportConcernChanges.filedAt }).from(reportConcernChanges).orderBy(asc(reportConcernChanges.id));
      const days: IsoDay[] = [];
      const taken: number[] = [];
      const seen = new Set<IsoDay>();
      // Changes cluster on a few days: reuse the last day's bounds rather than a time-zone lookup per row.
      let last = { day: "", startMs: 0, endMs: 0 };
      for (const row of queued) {
        if (row.filedAt < last.startMs || row.filedAt >= last.endMs) {
          const day = localDay(row.filedAt, timeZone);
          last = { day, startMs: dayStart(day, timeZone), endMs: dayStart(addDays(day, 1), timeZone) };
        }
        const { day } = last;
        if (!seen.has(day)) {
          if (seen.size === DAYS_PER_REFRESH) continue;
          seen.add(day);
          days.push(day);
        }
        taken.push(row.id);
      }
      if (days.length === 0) return false;
      for (let i = 0; i < taken.length; i += INSERT_CHUNK) await tx.delete(reportConcernChanges).where(inArray(reportConcernChanges.id, taken.slice(i, i + INSERT_CHUNK)));
      // Every dimension named, so the deletes walk the primary keys (dimension, day, …).
      await tx.delete(reportConcernDays).where(and(inArray(reportConcernDays.dimension, [...DIMENSIONS]), inArray(reportConcernDays.day, days)));
      await tx.delete(reportConcernDurations).where(and(inArray(reportConcernDurations.measure, [...MEASURES]), inArray(reportConcernDurations.day, days)));
      const filed: ConcernFacts[] = [];
      for (const run of runsOf(days, timeZone)) {
        filed.push(...(await tx.select(factColumns).from(concerns).where(and(gte(concerns.createdAt, run.startMs), lt(concerns.createdAt, run.endMs)))));
      }
      await writeDays(tx, byDay(filed, timeZone));
      result.days += days.length;
      return taken.length < queued.length;
    });
  }
  return result;
}

/**
 * Builds every figure from scratch, in one transaction: the concern figures from one read of the
 * concerns' report columns, the choice figures from one grouped read of the preferences of
 * customers not erased; both queues are emptied. For seeds, bulk loads, a changed display time zone
 * and `npm run cli -- reports rebuild`. Cost: the whole concerns and preferences tables (seconds at
 * a million customers). On PostgreSQL, preference and customer writes wait for it (a SHARE lock) so
 * the grouped read and the emptied queue describe the same moment; decisions do not wait.
 */
export async function rebuildReportFigures(db: Db, timeZone = env().DISPLAY_TIME_ZONE, now = Date.now()): Promise<{ days: number; choices: number; version: number }> {
  return db.transaction(async (tx) => {
    await lockFigures(tx);
    const [state] = await tx.select({ version: reportFiguresState.builtAt }).from(reportFiguresState).where(eq(reportFiguresState.id, STATE_ID)).limit(1);
    const version = nextVersion(state?.version, now);
    await forEngine(tx, {
      sqlite: async () => undefined,
      postgres: async () => {
        await executeSql(tx, sql`lock table customers, preferences in share mode`);
      },
    });
    await tx.delete(reportConcernChanges);
    await tx.delete(reportConcernDays);
    await tx.delete(reportConcernDurations);
    await tx.delete(reportChoiceChanges);
    await tx.delete(reportChoiceFigures);
    const filed = await tx
      .select(factColumns)
      .from(concerns)
      .where(and(notInArray(concerns.status, EXCLUDED_STATUSES), ne(concerns.origin, "breach")));
    const days = byDay(filed, timeZone);
    await writeDays(tx, days);

    const explicit = await tx
      .select({ choiceKey: preferences.choiceKey, value: preferences.value, customers: sql<number>`count(*)` })
      .from(preferences)
      .innerJoin(customers, eq(customers.id, preferences.customerId))
      .where(sql`${customers.erasedAt} is null`)
      .groupBy(preferences.choiceKey, preferences.value);
    const [active] = await tx.select({ n: sql<number>`count(*)` }).from(customers).where(sql`${customers.erasedAt} is null`).limit(1);
    const rows = [{ choiceKey: CUSTOMERS_KEY, value: CUSTOMERS_KEY, customers: Number(active?.n ?? 0) }, ...explicit.map((r) => ({ ...r, customers: Number(r.customers) }))];
    await insertChunks(rows, (chunk) => tx.insert(reportChoiceFigures).values(chunk));
    await tx
      .insert(reportFiguresState)
      .values({ id: STATE_ID, timeZone, builtAt: version })
      .onConflictDoUpdate({ target: reportFiguresState.id, set: { timeZone, builtAt: version } });
    return { days: days.size, choices: explicit.length, version };
  });
}

// ── Reading ────────────────────────────────────────────────────────────────
/** Local days `from`..`to` (both included), as the figures key them. */
export interface DayRangeKey {
  from: IsoDay;
  to: IsoDay;
}

/**
 * Concerns filed in the days, per key of one dimension (system: id or "" for none; kind; outcome:
 * resolved now; employee_system, employee_kind: the same for employees' reports only).
 */
export async function concernCounts(db: Db, dimension: ConcernDimension, range: DayRangeKey): Promise<Map<string, number>> {
  const rows = await db
    .select({ key: reportConcernDays.key, n: sql<number>`sum(${reportConcernDays.concerns})` })
    .from(reportConcernDays)
    .where(and(eq(reportConcernDays.dimension, dimension), gte(reportConcernDays.day, range.from), lte(reportConcernDays.day, range.to)))
    .groupBy(reportConcernDays.key);
  return new Map(rows.map((r) => [r.key, Number(r.n)]));
}

/**
 * Concerns filed per local day of the range (days without any are left out); with `employeeOnly`,
 * employees' reports only (SPEC §12).
 */
export async function concernsPerDay(db: Db, range: DayRangeKey, employeeOnly = false): Promise<Map<IsoDay, number>> {
  const rows = await db
    .select({ day: reportConcernDays.day, n: sql<number>`sum(${reportConcernDays.concerns})` })
    .from(reportConcernDays)
    .where(and(eq(reportConcernDays.dimension, employeeOnly ? "employee_kind" : "kind"), gte(reportConcernDays.day, range.from), lte(reportConcernDays.day, range.to)))
    .groupBy(reportConcernDays.day);
  return new Map(rows.map((r) => [r.day, Number(r.n)]));
}

/**
 * The values (whole seconds) at the ranks the median and the 90th percentile interpolate between
 * — ranks floor and ceil of (n − 1)·p over the ascending durations, counted from 0 — and n, in one
 * statement: the distribution is walked inside the database and only five numbers come back.
 * Null values when no concern has the duration.
 */
export async function durationRanks(
  db: Db,
  measure: DurationMeasure,
  range: DayRangeKey,
): Promise<{ count: number; p50: [number, number] | null; p90: [number, number] | null }> {
  const [row] = await executeSql<{ total: number | string; p50lo: number | string | null; p50hi: number | string | null; p90lo: number | string | null; p90hi: number | string | null }>(
    db,
    sql`with d as (
        select ${reportConcernDurations.seconds} as seconds, sum(${reportConcernDurations.concerns}) as n from ${reportConcernDurations}
        where ${reportConcernDurations.measure} = ${measure} and ${reportConcernDurations.day} >= ${range.from} and ${reportConcernDurations.day} <= ${range.to}
        group by ${reportConcernDurations.seconds}
      ),
      c as (select seconds, sum(n) over (order by seconds) as cum from d),
      t as (select cast(coalesce(sum(n), 0) as bigint) as total from d)
      select t.total as total,
        min(case when c.cum > (t.total - 1) / 2 then c.seconds end) as p50lo,
        min(case when c.cum > t.total / 2 then c.seconds end) as p50hi,
        min(case when c.cum > (t.total - 1) * 9 / 10 then c.seconds end) as p90lo,
        min(case when c.cum > ((t.total - 1) * 9 + 9) / 10 then c.seconds end) as p90hi
      from t left join c on 1 = 1
      group by t.total`,
  );
  const count = Number(row?.total ?? 0);
  if (count === 0 || !row) return { count: 0, p50: null, p90: null };
  return { count, p50: [Number(row.p50lo), Number(row.p50hi)], p90: [Number(row.p90lo), Number(row.p90hi)] };
}

/** Customers not erased, and per (choice, value) those of them who chose it themselves. */
export async function choiceFigures(db: Db): Promise<{ customers: number; explicit: { choiceKey: string; value: string; customers: number }[] }> {
  const rows = await db.select().from(reportChoiceFigures);
  let active = 0;
  const explicit: { choiceKey: string; value: string; customers: number }[] = [];
  for (const row of rows) {
    if (row.choiceKey === CUSTOMERS_KEY) active = Number(row.customers);
    else if (Number(row.customers) !== 0) explicit.push({ choiceKey: row.choiceKey, value: row.value, customers: Number(row.customers) });
  }
  return { customers: active, explicit };
}
