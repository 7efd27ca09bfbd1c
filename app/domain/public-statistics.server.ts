/**
 * Public accountability figures (SPEC §12 "Public accountability", `/:lang/statistics`): concerns
 * received, resolved and upheld and the median time to a first answer, per AI system and calendar
 * quarter of filing; permission breaches (SPEC §11.5) per quarter of detection; audits done per
 * quarter. Quarters and days are those of the company's time zone.
 *
 * The page never reads `concerns`: triggers on concerns (custom migration "public_statistics")
 * queue the filing time of every change in `public_concern_changes`, and
 * `refreshPublicStatistics` (the worker's tick) recomputes only the local days touched into
 * `public_concern_days` / `public_first_answers`. A rebuild (first run, another time zone) reads
 * every concern once, in the background job, never in a page.
 *
 * Counted as in the staff reports (reports.server.ts): not spam, not merged, not a case Candor
 * opened for a permission breach. Resolved: resolved or closed with an outcome. Upheld: resolved
 * with an outcome that agrees with the customer (`UPHELD_OUTCOMES`).
 *
 * Privacy (GDPR Art. 5(1)(c), 89(1)): no personal data is read or shown, and a count from 1 to 4
 * is shown as "fewer than 5" (`FEWER_THAN_FIVE`), a median only when 5 or more concerns were
 * answered, so a small cell cannot point at one person's case.
 */
import { and, asc, desc, eq, gte, inArray, lt, lte, ne, notInArray, sql } from "drizzle-orm";
import {
  concerns,
  permissionBreaches,
  publicConcernChanges,
  publicConcernDays,
  publicFirstAnswers,
  publicStatisticsState,
} from "../../db/schema";
import { executeSql, forEngine, type Db } from "../utils/db.server";
import { addDays, dayStart, localDay, type IsoDay } from "../utils/calendar";
import { aiSystemNames } from "./ai-register.server";
import { auditsPerQuarter, quarterOf } from "./audits.server";
import { EXCLUDED_STATUSES, UPHELD_OUTCOMES } from "./reports.server";
import { companyTimeZone } from "./settings.server";

const STATE_ID = 1;
/** Days recomputed per refresh call: bounds one call's transaction (SQLite's single writer). */
const DAYS_PER_REFRESH = 31;
const INSERT_CHUNK = 500;
/** Quarters shown, the current one included. */
export const QUARTERS_SHOWN = 8;
/** Below this a count is not published (shown as "fewer than 5"). */
export const SMALL_CELL = 5;
export const FEWER_THAN_FIVE = "fewer_than_5" as const;
/** A published count: the number, or "fewer than 5" for 1–4. */
export type PublicCount = number | typeof FEWER_THAN_FIVE;
/** `system_key` of concerns not linked to an AI system. */
export const NO_SYSTEM = "";

interface ConcernFacts {
  status: string;
  origin: string;
  systemId: number | null;
  outcomeCode: string | null;
  createdAt: number;
  firstResponseAt: number | null;
  resolvedAt: number | null;
}

const factColumns = {
  status: concerns.status,
  origin: concerns.origin,
  systemId: concerns.systemId,
  outcomeCode: concerns.outcomeCode,
  createdAt: concerns.createdAt,
  firstResponseAt: concerns.firstResponseAt,
  resolvedAt: concerns.resolvedAt,
};

const isCounted = (c: ConcernFacts) => !(EXCLUDED_STATUSES as readonly string[]).includes(c.status) && c.origin !== "breach";
const isResolved = (c: ConcernFacts) => c.resolvedAt !== null && c.outcomeCode !== null && (c.status === "resolved" || c.status === "closed");

interface DayCell {
  received: number;
  resolved: number;
  upheld: number;
  /** Whole seconds to the first answer → concerns. */
  firstAnswers: Map<number, number>;
}

/** Day → system key → figures, from concerns in any order. */
function figuresOf(rows: ConcernFacts[], timeZone: string): Map<IsoDay, Map<string, DayCell>> {
  const days = new Map<IsoDay, Map<string, DayCell>>();
  let bounds = { day: "", start: 0, end: -Infinity };
  for (const row of [...rows].sort((a, b) => a.createdAt - b.createdAt)) {
    if (!isCounted(row)) continue;
    if (row.createdAt >= bounds.end || row.createdAt < bounds.start) {
      const day = localDay(row.createdAt, timeZone);
      bounds = { day, start: dayStart(day, timeZone), end: dayStart(addDays(day, 1), timeZone) };
    }
    let systems = days.get(bounds.day);
    if (!systems) days.set(bounds.day, (systems = new Map()));
    const key = row.systemId === null ? NO_SYSTEM : String(row.systemId);
    let cell = systems.get(key);
    if (!cell) systems.set(key, (cell = { received: 0, resolved: 0, upheld: 0, firstAnswers: new Map() }));
    cell.received += 1;
    if (isResolved(row)) {
      cell.resolved += 1;
      if (UPHELD_OUTCOMES.includes(row.outcomeCode!)) cell.upheld += 1;
    }
    if (row.firstResponseAt !== null) {
      const seconds = Math.max(0, Math.round((row.firstResponseAt - row.createdAt) / 1000));
      cell.firstAnswers.set(seconds, (cell.firstAnswers.get(seconds) ?? 0) + 1);
    }
  }
  return days;
}

async function insertChunks<T>(rows: T[], insert: (chunk: T[]) => Promise<unknown>) {
  for (let i = 0; i < rows.length; i += INSERT_CHUNK) await insert(rows.slice(i, i + INSERT_CHUNK));
}

async function writeFigures(tx: Db, days: Map<IsoDay, Map<string, DayCell>>) {
  const counts: (typeof publicConcernDays.$inferInsert)[] = [];
  const answers: (typeof publicFirstAnswers.$inferInsert)[] = [];
  for (const [day, systems] of days) {
    for (const [systemKey, cell] of systems) {
      counts.push({ day, systemKey, received: cell.received, resolved: cell.resolved, upheld: cell.upheld });
      for (const [seconds, n] of cell.firstAnswers) answers.push({ day, systemKey, seconds, concerns: n });
    }
  }
  await insertChunks(counts, (chunk) => tx.insert(publicConcernDays).values(chunk));
  await insertChunks(answers, (chunk) => tx.insert(publicFirstAnswers).values(chunk));
}

async function lockFigures(tx: Db): Promise<void> {
  await forEngine(tx, {
    sqlite: async () => undefined,
    postgres: async () => {
      await executeSql(tx, sql`select pg_advisory_xact_lock(hashtextextended('candor.public_statistics', 0))`);
    },
  });
}

/**
 * Builds every public figure from scratch for `timeZone`: one read of the concerns' counted
 * columns, then one short write transaction that replaces the figures and takes the changes queued
 * before the read. For the first run, a changed company time zone and after bulk loads. Returns
 * how many concerns it read, or 0 when another rebuild or refresh wrote first.
 */
export async function rebuildPublicStatistics(db: Db, timeZone = companyTimeZone(), now = Date.now()): Promise<number> {
  // Read before the write transaction, not inside it: on SQLite the agents' decisions wait for
  // the one writer (their group commit), and this read is every concern. Changes queued after the
  // read stay queued, and the next refresh recomputes their days.
  const before = await readState(db);
  const [lastChange] = await db.select({ id: publicConcernChanges.id }).from(publicConcernChanges).orderBy(desc(publicConcernChanges.id)).limit(1);
  const filed = await db
    .select(factColumns)
    .from(concerns)
    .where(and(notInArray(concerns.status, [...EXCLUDED_STATUSES]), ne(concerns.origin, "breach")));
  const figures = figuresOf(filed, timeZone);
  return db.transaction(async (tx) => {
    await lockFigures(tx);
    // Another rebuild or refresh wrote since this one read: its figures are at least as recent.
    const current = await readState(tx);
    if (current?.timeZone !== before?.timeZone || current?.builtAt !== before?.builtAt) return 0;
    await tx.delete(publicConcernChanges).where(lte(publicConcernChanges.id, lastChange?.id ?? 0));
    await tx.delete(publicConcernDays);
    await tx.delete(publicFirstAnswers);
    await writeFigures(tx, figures);
    await tx
      .insert(publicStatisticsState)
      .values({ id: STATE_ID, timeZone, builtAt: now })
      .onConflictDoUpdate({ target: publicStatisticsState.id, set: { timeZone, builtAt: now } });
    return filed.length;
  });
}

async function readState(db: Db): Promise<{ timeZone: string | null; builtAt: number } | undefined> {
  const [state] = await db.select({ timeZone: publicStatisticsState.timeZone, builtAt: publicStatisticsState.builtAt }).from(publicStatisticsState).where(eq(publicStatisticsState.id, STATE_ID)).limit(1);
  return state;
}

/**
 * One bounded batch of the periodic job (the lead wires it into the worker's tick): folds queued
 * concern changes into the day figures, recomputing at most 31 local days (one range read on
 * `concerns.created_at` per day), or rebuilds everything when the figures were built for another
 * time zone or never. `now`: ms since epoch. Returns the rows handled (queue entries taken, or
 * concerns read by a rebuild); 0 when nothing was queued. Safe on several instances at once.
 */
export async function refreshPublicStatistics(db: Db, now: number, timeZone = companyTimeZone()): Promise<number> {
  const state = await readState(db);
  if (state?.timeZone !== timeZone) return rebuildPublicStatistics(db, timeZone, now);
  // Nothing queued (most ticks): no write transaction at all.
  if ((await db.select({ id: publicConcernChanges.id }).from(publicConcernChanges).limit(1)).length === 0) return 0;
  return db.transaction(async (tx) => {
    await lockFigures(tx);
    const queued = await tx
      .select({ id: publicConcernChanges.id, filedAt: publicConcernChanges.filedAt })
      .from(publicConcernChanges)
      .orderBy(asc(publicConcernChanges.id))
      .limit(5000);
    if (queued.length === 0) return 0;
    const days = new Set<IsoDay>();
    const taken: number[] = [];
    let bounds = { day: "", start: 0, end: -Infinity };
    for (const row of queued) {
      if (row.filedAt >= bounds.end || row.filedAt < bounds.start) {
        const day = localDay(row.filedAt, timeZone);
        bounds = { day, start: dayStart(day, timeZone), end: dayStart(addDays(day, 1), timeZone) };
      }
      if (!days.has(bounds.day) && days.size === DAYS_PER_REFRESH) continue;
      days.add(bounds.day);
      taken.push(row.id);
    }
    const dayList = [...days];
    for (let i = 0; i < taken.length; i += INSERT_CHUNK) await tx.delete(publicConcernChanges).where(inArray(publicConcernChanges.id, taken.slice(i, i + INSERT_CHUNK)));
    await tx.delete(publicConcernDays).where(inArray(publicConcernDays.day, dayList));
    await tx.delete(publicFirstAnswers).where(inArray(publicFirstAnswers.day, dayList));
    const filed: ConcernFacts[] = [];
    for (const day of dayList) {
      filed.push(
        ...(await tx
          .select(factColumns)
          .from(concerns)
          .where(and(gte(concerns.createdAt, dayStart(day, timeZone)), lt(concerns.createdAt, dayStart(addDays(day, 1), timeZone))))),
      );
    }
    await writeFigures(tx, figuresOf(filed, timeZone));
    await tx.update(publicStatisticsState).set({ builtAt: now }).where(eq(publicStatisticsState.id, STATE_ID));
    return taken.length;
  });
}

// ── Reading (the page) ──────────────────────────────────────────────────────

/** A quarter of the company's calendar: "2026-Q3", its first day and the first day after it. */
export interface Quarter {
  key: string;
  year: number;
  number: 1 | 2 | 3 | 4;
  firstDay: IsoDay;
  endDay: IsoDay;
}

function quarterStarting(year: number, number: number): Quarter {
  const month = (number - 1) * 3 + 1;
  const next = number === 4 ? { y: year + 1, m: 1 } : { y: year, m: month + 3 };
  const pad = (n: number) => String(n).padStart(2, "0");
  return { key: `${year}-Q${number}`, year, number: number as Quarter["number"], firstDay: `${year}-${pad(month)}-01`, endDay: `${next.y}-${pad(next.m)}-01` };
}

/** The `count` quarters ending with the one `now` (ms) falls in, oldest first. */
export function recentQuarters(now: number, count: number, timeZone: string): Quarter[] {
  const [year, quarter] = quarterOf(localDay(now, timeZone)).split("-Q").map(Number) as [number, number];
  const result: Quarter[] = [];
  for (let i = count - 1; i >= 0; i--) {
    const index = year * 4 + (quarter - 1) - i;
    result.push(quarterStarting(Math.floor(index / 4), (index % 4) + 1));
  }
  return result;
}

/** A count as published: 1–4 become "fewer than 5". */
export function publicCount(n: number): PublicCount {
  return n > 0 && n < SMALL_CELL ? FEWER_THAN_FIVE : n;
}

/** The median of a histogram (value → how many), interpolated between the two middle values; null when empty. */
export function histogramMedian(histogram: Map<number, number>): number | null {
  const total = Array.from(histogram, ([, n]) => n).reduce((a, b) => a + b, 0);
  if (total === 0) return null;
  const sorted = [...histogram.entries()].sort((a, b) => a[0] - b[0]);
  const at = (rank: number) => {
    let seen = 0;
    for (const [value, n] of sorted) {
      seen += n;
      if (rank < seen) return value;
    }
    return sorted.at(-1)![0];
  };
  return total % 2 === 1 ? at((total - 1) / 2) : (at(total / 2 - 1) + at(total / 2)) / 2;
}

export interface SystemQuarterFigures {
  received: PublicCount;
  resolved: PublicCount;
  upheld: PublicCount;
  /** Median seconds from filing to the first answer; null when fewer than 5 concerns were answered. */
  medianFirstAnswerSeconds: number | null;
}

export interface PublicStatistics {
  quarters: Quarter[];
  /** One row per AI system with figures (by name), then concerns not linked to a system. */
  systems: { key: string; slug: string | null; name: string; quarters: Record<string, SystemQuarterFigures> }[];
  /** Every system together, per quarter. */
  total: Record<string, SystemQuarterFigures>;
  breaches: Record<string, PublicCount>;
  audits: Record<string, { audits: number; passed: number; passedWithActions: number; failed: number }>;
  /** When the concern figures were last brought up to date (ms), 0 when never. */
  builtAt: number;
}

const emptyCell = (): DayCell => ({ received: 0, resolved: 0, upheld: 0, firstAnswers: new Map() });

function published(cell: DayCell | undefined): SystemQuarterFigures {
  const c = cell ?? emptyCell();
  const answered = Array.from(c.firstAnswers, ([, n]) => n).reduce((a, b) => a + b, 0);
  return {
    received: publicCount(c.received),
    resolved: publicCount(c.resolved),
    upheld: publicCount(c.upheld),
    medianFirstAnswerSeconds: answered >= SMALL_CELL ? histogramMedian(c.firstAnswers) : null,
  };
}

function merge(into: DayCell, from: { received: number; resolved: number; upheld: number }) {
  into.received += Number(from.received);
  into.resolved += Number(from.resolved);
  into.upheld += Number(from.upheld);
}

/**
 * The figures `/:lang/statistics` shows: the last `QUARTERS_SHOWN` quarters up to the one `now`
 * (ms) is in, system names in `lang` (English fallback). Reads only the pre-aggregated day figures
 * (primary-key range from the oldest quarter's first day), the breaches' (detected_at) index and
 * the audits — never the concerns. Small cells are suppressed (see the module comment).
 */
export async function publicStatistics(db: Db, lang: string, now: number): Promise<PublicStatistics> {
  const timeZone = companyTimeZone();
  const quarters = recentQuarters(now, QUARTERS_SHOWN, timeZone);
  const first = quarters[0]!.firstDay;
  const quarterKey = (day: IsoDay) => quarterOf(day);
  const days = await db
    .select({ day: publicConcernDays.day, systemKey: publicConcernDays.systemKey, received: publicConcernDays.received, resolved: publicConcernDays.resolved, upheld: publicConcernDays.upheld })
    .from(publicConcernDays)
    .where(gte(publicConcernDays.day, first));
  const answers = await db
    .select({ day: publicFirstAnswers.day, systemKey: publicFirstAnswers.systemKey, seconds: publicFirstAnswers.seconds, concerns: publicFirstAnswers.concerns })
    .from(publicFirstAnswers)
    .where(gte(publicFirstAnswers.day, first));

  const cells = new Map<string, Map<string, DayCell>>();
  const totals = new Map<string, DayCell>();
  const cellOf = (systemKey: string, quarter: string) => {
    let bySystem = cells.get(systemKey);
    if (!bySystem) cells.set(systemKey, (bySystem = new Map()));
    let cell = bySystem.get(quarter);
    if (!cell) bySystem.set(quarter, (cell = emptyCell()));
    let total = totals.get(quarter);
    if (!total) totals.set(quarter, (total = emptyCell()));
    return { cell, total };
  };
  for (const row of days) {
    const { cell, total } = cellOf(row.systemKey, quarterKey(row.day));
    merge(cell, row);
    merge(total, row);
  }
  for (const row of answers) {
    const { cell, total } = cellOf(row.systemKey, quarterKey(row.day));
    const n = Number(row.concerns);
    cell.firstAnswers.set(Number(row.seconds), (cell.firstAnswers.get(Number(row.seconds)) ?? 0) + n);
    total.firstAnswers.set(Number(row.seconds), (total.firstAnswers.get(Number(row.seconds)) ?? 0) + n);
  }

  const names = await aiSystemNames(db, lang);
  const systems = [...cells.keys()]
    .map((key) => {
      const named = key === NO_SYSTEM ? undefined : names.get(Number(key));
      return {
        key,
        slug: named?.slug ?? null,
        name: named?.name ?? "",
        quarters: Object.fromEntries(quarters.map((q) => [q.key, published(cells.get(key)!.get(q.key))])),
      };
    })
    .sort((a, b) => (a.key === NO_SYSTEM ? 1 : b.key === NO_SYSTEM ? -1 : a.name.localeCompare(b.name, lang)));

  const breaches: Record<string, PublicCount> = {};
  for (const q of quarters) {
    const [row] = await db
      .select({ n: sql<number>`count(*)` })
      .from(permissionBreaches)
      .where(and(gte(permissionBreaches.detectedAt, dayStart(q.firstDay, timeZone)), lt(permissionBreaches.detectedAt, dayStart(q.endDay, timeZone))))
      .limit(1);
    breaches[q.key] = publicCount(Number(row?.n ?? 0));
  }

  const auditRows = await auditsPerQuarter(db, first);
  const audits = Object.fromEntries(
    quarters.map((q) => {
      const row = auditRows.find((r) => r.quarter === q.key);
      return [q.key, { audits: row?.audits ?? 0, passed: row?.passed ?? 0, passedWithActions: row?.passedWithActions ?? 0, failed: row?.failed ?? 0 }];
    }),
  );

  const [state] = await db.select({ builtAt: publicStatisticsState.builtAt }).from(publicStatisticsState).where(eq(publicStatisticsState.id, STATE_ID)).limit(1);
  return {
    quarters,
    systems,
    total: Object.fromEntries(quarters.map((q) => [q.key, published(totals.get(q.key))])),
    breaches,
    audits,
    builtAt: state?.builtAt ?? 0,
  };
}
