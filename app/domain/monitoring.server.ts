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
import { and, asc, desc, eq, gt, gte, inArray, isNull, lt, sql } from "drizzle-orm";
import {
  aiSystems,
  aiSystemTexts,
  concerns,
  confirmationAnswers,
  confirmations,
  decisions,
  interactionAi,
  interactions,
  monitoringAlerts,
  monitoringConcernChanges,
  monitoringFigures,
  monitoringState,
  monitoringThresholds,
  permissionBreaches,
} from "../../db/schema";
import { executeSql, forEngine, type Db } from "../utils/db.server";
import { env } from "../utils/env.server";
import { addDays, dayStart, isoWeek, localDay } from "../utils/calendar";
import { appendAudit } from "./audit.server";
import { isMonitoringMetric, isValidThreshold, METRIC_NAMES, MONITORING_METRICS, type MonitoringMetric } from "./monitoring-metrics";

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
class WeekOf {
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

const emptyCounts = (): WeekCounts => ({
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
async function readCounts(db: Db, from: number, to: number, systemId?: number): Promise<Map<string, WeekCounts>> {
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
async function raiseAlerts(tx: Db, weeks: number[], now: number): Promise<number> {
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

// ── The report ─────────────────────────────────────────────────────────────

async function systemNames(db: Db, lang: string): Promise<Map<number, string>> {
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
