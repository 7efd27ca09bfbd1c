/**
 * Monitoring of AI behaviour (SPEC §12; AI Act Art. 26(5) deployer's monitoring, Art. 72 the
 * provider's post-market monitoring): per AI system and ISO week (Monday 00:00 in the company's
 * display time zone) — decision checks (allow / ask / deny and their reasons), confirmations
 * (approved / declined / expired), permission breaches, concerns per 1,000 interactions, the share
 * of interactions a person checked, and upheld concerns.
 *
 * Pre-aggregated so a page costs the same at a million customers: `monitoring_figures` holds counts
 * per (system, week, key), and `refreshMonitoringFigures` folds in only what is new since its
 * watermarks — decisions by (created_at, id), confirmation answers, breaches and AI involvements by
 * id — reading the append-only records after the fact (the decision hot path is not touched).
 * Concerns change after filing (outcome, status), so a trigger queues their filing times in
 * `monitoring_concern_changes` and the refresh recounts only the weeks those fall in.
 * Rows younger than SETTLE_MS are left for the next refresh: a transaction that took its id or
 * timestamp before another but commits after it is still counted (one that stays open longer than
 * SETTLE_MS would be missed; `rebuildMonitoringFigures` recounts everything).
 *
 * Thresholds (admins) turn a week's value into an alert, raised once per system, metric and week
 * (shares and rates only on a sample of at least MIN_ALERT_SAMPLE records).
 */
import { and, asc, desc, eq, gt, gte, inArray, lt, sql } from "drizzle-orm";
import {
  aiSystems,
  concerns,
  confirmationAnswers,
  confirmations,
  decisions,
  interactionAi,
  interactions,
  monitoringConcernChanges,
  monitoringFigures,
  monitoringState,
  permissionBreaches,
} from "../../db/schema";
import { executeSql, forEngine, type Db } from "../utils/db.server";
import { env } from "../utils/env.server";
import { addDays, dayStart, localDay } from "../utils/calendar";

import { raiseAlerts } from "./monitoring-alerts.server";
import { WeekOf } from "./monitoring-weeks.server";

/** Rows younger than this (ms) wait for the next refresh (late commits, see above). */
export const SETTLE_MS = 60_000;
/** Rows read per source per refresh: bounds how long one refresh holds the writer. */
export const REFRESH_BATCH = 2000;
/** Rows read per source per refresh of a full recount (a command, not the tick). */
const REBUILD_BATCH = 50_000;
/** Concern weeks recounted per refresh. */
const WEEKS_PER_REFRESH = 8;
const STATE_ID = 1;

export { METRIC_NAMES, MONITORING_METRICS, isMonitoringMetric, type MonitoringMetric } from "./monitoring-metrics";

/** Concerns that are not about AI at all, and cases Candor opened itself for a breach. */
const UNCOUNTED_STATUSES = ["spam", "merged"];
const UPHELD_OUTCOMES = ["upheld", "partly_upheld"];
export { weekLabel, weekStartOf, lastWeeks, metricValues, type WeekCounts } from "./monitoring-weeks.server";
export {
  MIN_ALERT_SAMPLE,
  MonitoringInputError,
  acknowledgeMonitoringAlert,
  crosses,
  listMonitoringThresholds,
  openMonitoringAlerts,
  removeMonitoringThreshold,
  setMonitoringThreshold,
  type MonitoringThreshold,
  type OpenMonitoringAlert,
} from "./monitoring-alerts.server";
export { REPORT_WEEKS, monitoredSystems, monitoringReport, type MonitoringSystemReport, type MonitoringWeek } from "./monitoring-report.server";

// ── Refresh ────────────────────────────────────────────────────────────────

type State = typeof monitoringState.$inferSelect;

/** Deltas per (system, week, key), summed before they are written. */
class Deltas {
  readonly map = new Map<string, number>();
  readonly weeks = new Set<number>();
  /** Source rows read (each moves a watermark on, counted or not). */
  rows = 0;
  add(systemId: number, weekStart: number, key: string, delta = 1) {
    const k = `${systemId}\u0000${weekStart}\u0000${key}`;
    this.map.set(k, (this.map.get(k) ?? 0) + delta);
    this.weeks.add(weekStart);
  }
}

async function lockMonitoring(tx: Db): Promise<void> {
  await forEngine(tx, {
    sqlite: async () => undefined,
    postgres: async () => {
      await executeSql(tx, sql`select pg_advisory_xact_lock(hashtextextended('candor.monitoring_figures', 0))`);
    },
  });
}

async function readState(tx: Db): Promise<State | undefined> {
  const [state] = await tx.select().from(monitoringState).where(eq(monitoringState.id, STATE_ID)).limit(1);
  return state;
}

/** Forgets every figure and watermark (not thresholds or alerts): the next refreshes recount. */
async function resetFigures(tx: Db, timeZone: string, now: number): Promise<void> {
  await tx.delete(monitoringFigures);
  await tx.delete(monitoringConcernChanges);
  await tx.delete(monitoringState);
  await tx.insert(monitoringState).values({ id: STATE_ID, timeZone, builtAt: now });
  // Every concern's week is recounted: queue one filing time per week that has concerns.
  const weeks = new Set<number>();
  const weekOf = new WeekOf(timeZone);
  const [first] = await tx.select({ at: concerns.createdAt }).from(concerns).orderBy(asc(concerns.createdAt)).limit(1);
  const [last] = await tx.select({ at: concerns.createdAt }).from(concerns).orderBy(desc(concerns.createdAt)).limit(1);
  if (first && last) {
    for (let at = weekOf.of(first.at); at <= last.at; at = dayStart(addDays(localDay(at, timeZone), 7), timeZone)) weeks.add(at);
  }
  if (weeks.size > 0) await tx.insert(monitoringConcernChanges).values([...weeks].map((filedAt) => ({ filedAt })));
}

async function systemIdsBySlug(tx: Db): Promise<Map<string, number>> {
  const rows = await tx.select({ id: aiSystems.id, slug: aiSystems.slug }).from(aiSystems);
  return new Map(rows.map((r) => [r.slug, r.id]));
}

async function foldDecisions(db: Db, state: State, cutoff: number, weekOf: WeekOf, deltas: Deltas, slugs: Map<string, number>, batch: number): Promise<Partial<State>> {
  const rows = await db
    .select({ id: decisions.id, createdAt: decisions.createdAt, slug: decisions.aiSystemSlug, decision: decisions.decision, reason: decisions.reason })
    .from(decisions)
    .where(and(sql`(${decisions.createdAt}, ${decisions.id}) > (${state.decisionsCreatedAt}, ${state.decisionsId})`, lt(decisions.createdAt, cutoff)))
    .orderBy(asc(decisions.createdAt), asc(decisions.id))
    .limit(batch);
  deltas.rows += rows.length;
  for (const row of rows) {
    const systemId = slugs.get(row.slug);
    if (systemId === undefined) continue; // an agent naming a system the register does not know
    const week = weekOf.of(row.createdAt);
    deltas.add(systemId, week, `decision:${row.decision}`);
    deltas.add(systemId, week, `reason:${row.decision}:${row.reason}`);
  }
  const last = rows.at(-1);
  return last ? { decisionsCreatedAt: last.createdAt, decisionsId: last.id } : {};
}

/** The rows before the first one younger than the cutoff (ordered by id: later ones wait too). */
function settled<T extends { at: number }>(rows: T[], cutoff: number): T[] {
  const young = rows.findIndex((r) => r.at >= cutoff);
  return young === -1 ? rows : rows.slice(0, young);
}

async function foldAnswers(db: Db, state: State, cutoff: number, weekOf: WeekOf, deltas: Deltas, slugs: Map<string, number>, batch: number): Promise<Partial<State>> {
  const rows = settled(
    await db
      .select({ id: confirmationAnswers.id, at: confirmationAnswers.createdAt, answer: confirmationAnswers.answer, slug: confirmations.aiSystemSlug })
      .from(confirmationAnswers)
      .innerJoin(confirmations, eq(confirmations.id, confirmationAnswers.confirmationId))
      .where(gt(confirmationAnswers.id, state.answersId))
      .orderBy(asc(confirmationAnswers.id))
      .limit(batch),
    cutoff,
  );
  deltas.rows += rows.length;
  for (const row of rows) {
    const systemId = slugs.get(row.slug);
    if (systemId !== undefined) deltas.add(systemId, weekOf.of(row.at), `answer:${row.answer}`);
  }
  const last = rows.at(-1);
  return last ? { answersId: last.id } : {};
}

async function foldBreaches(db: Db, state: State, cutoff: number, weekOf: WeekOf, deltas: Deltas, batch: number): Promise<Partial<State>> {
  const rows = settled(
    await db
      .select({ id: permissionBreaches.id, at: permissionBreaches.detectedAt, systemId: permissionBreaches.systemId })
      .from(permissionBreaches)
      .where(gt(permissionBreaches.id, state.breachesId))
      .orderBy(asc(permissionBreaches.id))
      .limit(batch),
    cutoff,
  );
  deltas.rows += rows.length;
  for (const row of rows) deltas.add(row.systemId, weekOf.of(row.at), "breaches");
  const last = rows.at(-1);
  return last ? { breachesId: last.id } : {};
}

/**
 * AI involvements: an interaction counts once per system (in the week it occurred), as checked by
 * a person when any of that system's involvements in it was reviewed.
 */
async function foldInvolvements(db: Db, state: State, cutoff: number, weekOf: WeekOf, deltas: Deltas, batch: number): Promise<Partial<State>> {
  const rows = settled(
    await db
      .select({ id: interactionAi.id, interactionId: interactionAi.interactionId, systemId: interactionAi.systemId, reviewed: interactionAi.humanReviewed, occurredAt: interactions.occurredAt, at: interactions.createdAt })
      .from(interactionAi)
      .innerJoin(interactions, eq(interactions.id, interactionAi.interactionId))
      .where(gt(interactionAi.id, state.involvementsId))
      .orderBy(asc(interactionAi.id))
      .limit(batch),
    cutoff,
  );
  if (rows.length === 0) return {};
  deltas.rows += rows.length;
  const earlier = new Map<string, { id: number; reviewed: boolean }[]>();
  const ids = [...new Set(rows.map((r) => r.interactionId))];
  for (let i = 0; i < ids.length; i += 500) {
    const siblings = await db
      .select({ id: interactionAi.id, interactionId: interactionAi.interactionId, systemId: interactionAi.systemId, reviewed: interactionAi.humanReviewed })
      .from(interactionAi)
      .where(inArray(interactionAi.interactionId, ids.slice(i, i + 500)));
    for (const s of siblings) {
      const key = `${s.interactionId}\u0000${s.systemId}`;
      const list = earlier.get(key) ?? [];
      list.push({ id: s.id, reviewed: Boolean(s.reviewed) });
      earlier.set(key, list);
    }
  }
  for (const row of rows) {
    const before = (earlier.get(`${row.interactionId}\u0000${row.systemId}`) ?? []).filter((s) => s.id < row.id);
    const week = weekOf.of(row.occurredAt);
    if (before.length === 0) {
      deltas.add(row.systemId, week, "interactions");
      if (row.reviewed) deltas.add(row.systemId, week, "reviewed");
    } else if (row.reviewed && !before.some((s) => s.reviewed)) {
      deltas.add(row.systemId, week, "reviewed");
    }
  }
  return { involvementsId: rows.at(-1)!.id };
}

/** The concern weeks queued by the concerns trigger, recounted (a few weeks per run): read, not yet written. */
interface ConcernWeeks {
  /** The queue entries taken. */
  taken: number[];
  /** Per week start: the "concerns" and "upheld" figures recounted from scratch. */
  figures: Map<number, { systemId: number; weekStart: number; key: string; count: number }[]>;
}

async function readConcernWeeks(db: Db, weekOf: WeekOf): Promise<ConcernWeeks> {
  const queued = await db.select().from(monitoringConcernChanges).orderBy(asc(monitoringConcernChanges.id)).limit(REFRESH_BATCH);
  const weeks = new Set<number>();
  const taken: number[] = [];
  for (const row of queued) {
    const week = weekOf.of(row.filedAt);
    if (!weeks.has(week) && weeks.size >= WEEKS_PER_REFRESH) break;
    weeks.add(week);
    taken.push(row.id);
  }
  const figures: ConcernWeeks["figures"] = new Map();
  for (const week of weeks) {
    const end = dayStart(addDays(localDay(week, weekOf.timeZone), 7), weekOf.timeZone);
    const rows = await db
      .select({ systemId: concerns.systemId, status: concerns.status, origin: concerns.origin, outcome: concerns.outcomeCode })
      .from(concerns)
      .where(and(gte(concerns.createdAt, week), lt(concerns.createdAt, end)));
    const counts = new Map<string, number>();
    for (const c of rows) {
      if (c.systemId === null || UNCOUNTED_STATUSES.includes(c.status) || c.origin === "breach") continue;
      const bump = (key: string) => counts.set(`${c.systemId}\u0000${key}`, (counts.get(`${c.systemId}\u0000${key}`) ?? 0) + 1);
      bump("concerns");
      if (c.outcome !== null && UPHELD_OUTCOMES.includes(c.outcome) && (c.status === "resolved" || c.status === "closed")) bump("upheld");
    }
    figures.set(
      week,
      [...counts].map(([k, count]) => {
        const [systemId, key] = k.split("\u0000") as [string, string];
        return { systemId: Number(systemId), weekStart: week, key, count };
      }),
    );
  }
  return { taken, figures };
}

/**
 * Replaces the recounted weeks' concern figures and takes their queue entries. A concern that
 * changed after the read queued another entry, so its week is recounted by a later refresh.
 */
async function writeConcernWeeks(tx: Db, weeks: ConcernWeeks, touched: Set<number>): Promise<void> {
  for (let i = 0; i < weeks.taken.length; i += 500) await tx.delete(monitoringConcernChanges).where(inArray(monitoringConcernChanges.id, weeks.taken.slice(i, i + 500)));
  for (const [week, values] of weeks.figures) {
    await tx.delete(monitoringFigures).where(and(eq(monitoringFigures.weekStart, week), inArray(monitoringFigures.key, ["concerns", "upheld"])));
    if (values.length > 0) await tx.insert(monitoringFigures).values(values);
    touched.add(week);
  }
}

async function writeDeltas(tx: Db, deltas: Deltas): Promise<void> {
  const values = [...deltas.map].flatMap(([k, delta]) => {
    if (delta === 0) return [];
    const [systemId, weekStart, key] = k.split("\u0000") as [string, string, string];
    return [{ systemId: Number(systemId), weekStart: Number(weekStart), key, count: delta }];
  });
  // Many rows per statement: the writer is held for as short a time as possible.
  for (let i = 0; i < values.length; i += 500) {
    await tx
      .insert(monitoringFigures)
      .values(values.slice(i, i + 500))
      .onConflictDoUpdate({ target: [monitoringFigures.systemId, monitoringFigures.weekStart, monitoringFigures.key], set: { count: sql`${monitoringFigures.count} + excluded.count` } });
  }
}

/**
 * One bounded refresh of the weekly figures (the worker's tick; before a monitoring page is read):
 * folds in up to `batch` (REFRESH_BATCH) new decisions, confirmation answers, breaches and AI involvements
 * older than `now - SETTLE_MS`, recounts up to 8 queued concern weeks, then raises the alerts the
 * touched weeks call for. When the figures were built for another time zone (or never), it resets
 * them and the following calls recount from the start. It reads without holding the writer and
 * writes in one short transaction (SQLite: the write transaction; PostgreSQL: an advisory lock),
 * only if no other refresh wrote since it read; idempotent and safe on several instances at once.
 * `now`: ms since epoch UTC. Returns how many source rows it handled (0: up to date, or another
 * refresh wrote first).
 */
export async function refreshMonitoringFigures(db: Db, now: number, timeZone = env().DISPLAY_TIME_ZONE, batch = REFRESH_BATCH): Promise<number> {
  let state = await readState(db);
  if (!state || state.timeZone !== timeZone) {
    await db.transaction(async (tx) => {
      await lockMonitoring(tx);
      const current = await readState(tx);
      if (!current || current.timeZone !== timeZone) await resetFigures(tx, timeZone, now);
    });
    state = (await readState(db))!;
  }
  // Read before the write transaction, not inside it: on SQLite there is one writer, and the
  // agents' decisions wait for it (their group commit), so it is held only while writing.
  const cutoff = now - SETTLE_MS;
  const weekOf = new WeekOf(timeZone);
  const slugs = await systemIdsBySlug(db);
  const deltas = new Deltas();
  const updates: Partial<State> = {
    ...(await foldDecisions(db, state, cutoff, weekOf, deltas, slugs, batch)),
    ...(await foldAnswers(db, state, cutoff, weekOf, deltas, slugs, batch)),
    ...(await foldBreaches(db, state, cutoff, weekOf, deltas, batch)),
    ...(await foldInvolvements(db, state, cutoff, weekOf, deltas, batch)),
  };
  const concernWeeks = await readConcernWeeks(db, weekOf);
  const rows = deltas.rows + concernWeeks.taken.length;
  if (rows === 0) return 0;
  const read = state;
  return db.transaction(async (tx) => {
    await lockMonitoring(tx);
    // Another refresh (an instance, a page) wrote since this one read: its figures stand, and the
    // next refresh reads on from its watermarks. builtAt moves on with every write.
    const current = await readState(tx);
    if (current?.builtAt !== read.builtAt || current.timeZone !== read.timeZone) return 0;
    await writeDeltas(tx, deltas);
    const touched = new Set<number>(deltas.weeks);
    await writeConcernWeeks(tx, concernWeeks, touched);
    await tx.update(monitoringState).set({ ...updates, builtAt: Math.max(read.builtAt + 1, now) }).where(eq(monitoringState.id, STATE_ID));
    await raiseAlerts(tx, [...touched], now);
    return rows;
  });
}

/**
 * Recounts every figure from scratch (`npm run cli -- reports rebuild`, after bulk loads or a
 * change of DISPLAY_TIME_ZONE): forgets figures and watermarks, then refreshes batch by batch until
 * nothing is left. Thresholds and alerts stay; alerts the recount calls for are raised (idempotent).
 * `now`: ms since epoch UTC. Returns the source rows read.
 */
export async function rebuildMonitoringFigures(db: Db, now = Date.now(), timeZone = env().DISPLAY_TIME_ZONE): Promise<number> {
  await db.transaction(async (tx) => {
    await lockMonitoring(tx);
    await resetFigures(tx, timeZone, now);
  });
  let total = 0;
  for (let rows = await refreshMonitoringFigures(db, now, timeZone, REBUILD_BATCH); rows > 0; rows = await refreshMonitoringFigures(db, now, timeZone, REBUILD_BATCH)) total += rows;
  return total;
}
