/**
 * Monitoring reports (SPEC §4 "Reports"): the figures a deployer keeps to monitor its AI systems
 * (AI Act Art. 26(5), Art. 72) — concerns per AI system, kind and ISO week, time to first response
 * and to resolution, the share of concerns upheld, and the customers' current choices.
 *
 * Concern figures count the concerns *filed* in a date range (local calendar days in the display
 * time zone, both ends included); spam and merged duplicates are not concerns and are left out,
 * and so are the cases Candor opens itself for permission breaches (origin "breach"): those are
 * counted as breaches per AI system and week (SPEC §11.5), by the time they were detected; a
 * customer's own "contest this action" concern is a concern like any other.
 * Choice figures are a snapshot of every customer's current value (erased customers excluded; a
 * customer who never chose has the definition's default, counted separately).
 *
 * Every figure comes from a handful of set-based queries (GROUP BY, or one narrow column list
 * over the range of `concerns.created_at`), never one query per row.
 */
import { stringify } from "csv-stringify/sync";
import { and, asc, count, eq, gte, isNull, lt, ne, notInArray } from "drizzle-orm";
import { aiSystems, choiceDefinitions, concerns, customers, permissionBreaches, preferences } from "../../db/schema";
import type { Db } from "../utils/db.server";
import { aiSystemNames } from "./ai-register.server";
import { listChoices } from "./preferences.server";
import { addDays, dayStart, daysBetween, isoWeek, localDay, type IsoDay } from "../utils/calendar";
import { CHOICE_VALUES, CONCERN_KINDS, type ChoiceKind } from "./vocabulary";

export const REPORT_NAMES = ["by-system", "by-kind", "by-week", "response-times", "outcomes", "choices", "breaches"] as const;
export type ReportName = (typeof REPORT_NAMES)[number];
export const isReportName = (value: unknown): value is ReportName =>
  typeof value === "string" && (REPORT_NAMES as readonly string[]).includes(value);

/** Statuses that are not concerns about AI at all. */
export const EXCLUDED_STATUSES = ["spam", "merged"] as const;
export const OUTCOME_CODES = ["upheld", "partly_upheld", "action_reversed", "explained", "not_upheld"] as const;
/** Outcomes in which the customer was (at least partly) right. */
export const UPHELD_OUTCOMES: readonly string[] = ["upheld", "partly_upheld", "action_reversed"];
/** Default range: the current ISO week and the 11 before it. */
export const DEFAULT_WEEKS = 12;
/** The longest range one report may cover (two years and a leap day). */
export const MAX_RANGE_DAYS = 731;

const HOUR_MS = 60 * 60 * 1000;

// ── Dates in the display time zone ─────────────────────────────────────────
// Calendar days, ISO weeks and day boundaries come from utils/calendar (date-fns + @date-fns/tz).
export { addDays, dayStart, isoWeek, localDay, type IsoDay };

// ── The date range ─────────────────────────────────────────────────────────
export interface DayRange {
  from: IsoDay;
  to: IsoDay;
}

/** A day range as instants: [fromMs, toMs), toMs being the start of the day after `to`. */
export interface ReportRange extends DayRange {
  fromMs: number;
  toMs: number;
  timeZone: string;
}

/**
 * Fills in a missing end (today) or start (the Monday 11 weeks before the end's week, so the
 * default covers 12 ISO weeks), then checks order and length. Returns an error code for the field
 * at fault, or the range.
 */
export function resolveRange(
  input: { from?: IsoDay; to?: IsoDay },
  now: number,
  timeZone: string,
): { ok: true; range: ReportRange } | { ok: false; field: "from" | "to"; error: "order" | "tooLong" } {
  const to = input.to ?? localDay(now, timeZone);
  const from = input.from ?? addDays(isoWeek(to).monday, -7 * (DEFAULT_WEEKS - 1));
  if (from > to) return { ok: false, field: input.to ? "to" : "from", error: "order" };
  const days = daysBetween(from, to) + 1;
  if (days > MAX_RANGE_DAYS) return { ok: false, field: input.to ? "to" : "from", error: "tooLong" };
  return { ok: true, range: { from, to, fromMs: dayStart(from, timeZone), toMs: dayStart(addDays(to, 1), timeZone), timeZone } };
}

/** The default range (last 12 ISO weeks up to today). */
export function defaultRange(now: number, timeZone: string): ReportRange {
  const resolved = resolveRange({}, now, timeZone);
  if (!resolved.ok) throw new Error("unreachable: the default range is always valid");
  return resolved.range;
}

/** Concerns filed in the range that count (not spam, not merged, not a breach case Candor opened). */
const counted = (range: ReportRange) =>
  and(
    gte(concerns.createdAt, range.fromMs),
    lt(concerns.createdAt, range.toMs),
    notInArray(concerns.status, [...EXCLUDED_STATUSES]),
    ne(concerns.origin, "breach"),
  );

// ── Concerns per AI system, kind and week ──────────────────────────────────
export interface SystemRow {
  /** null: the concern names no AI system. */
  systemId: number | null;
  slug: string | null;
  name: string | null;
  count: number;
}

/**
 * Concerns per AI system, most first. Every system in use is listed (a system nobody complained
 * about is worth seeing too); retired systems only when they have concerns in the range.
 */
export async function concernsBySystem(db: Db, range: ReportRange, lang: string): Promise<SystemRow[]> {
  const counts = await db
    .select({ systemId: concerns.systemId, count: count() })
    .from(concerns)
    .where(counted(range))
    .groupBy(concerns.systemId);
  const names = await aiSystemNames(db, lang);
  const systems = await db.select({ id: aiSystems.id, status: aiSystems.status }).from(aiSystems).orderBy(asc(aiSystems.id));
  const byId = new Map(counts.map((c) => [c.systemId, c.count]));
  const rows: SystemRow[] = systems
    .filter((s) => s.status !== "retired" || byId.has(s.id))
    .map((s) => ({ systemId: s.id, slug: names.get(s.id)?.slug ?? null, name: names.get(s.id)?.name ?? null, count: byId.get(s.id) ?? 0 }));
  const none = byId.get(null) ?? 0;
  rows.sort((a, b) => b.count - a.count || (a.name ?? "").localeCompare(b.name ?? "", lang));
  if (none > 0) rows.push({ systemId: null, slug: null, name: null, count: none });
  return rows;
}

/** Concerns per kind, every kind listed in the vocabulary's order. */
export async function concernsByKind(db: Db, range: ReportRange): Promise<{ kind: string; count: number }[]> {
  const counts = await db
    .select({ kind: concerns.kind, count: count() })
    .from(concerns)
    .where(counted(range))
    .groupBy(concerns.kind);
  const byKind = new Map(counts.map((c) => [c.kind, c.count]));
  const rows = CONCERN_KINDS.map((kind) => ({ kind: kind as string, count: byKind.get(kind) ?? 0 }));
  // A kind no longer in the vocabulary still counts.
  for (const c of counts) if (!(CONCERN_KINDS as readonly string[]).includes(c.kind)) rows.push({ kind: c.kind, count: c.count });
  return rows;
}

export interface WeekRow {
  /** ISO 8601 week, e.g. "2025-W07". */
  isoWeek: string;
  year: number;
  week: number;
  /** The Monday the week starts, local day and instant. */
  monday: IsoDay;
  startMs: number;
  count: number;
}

/** Concerns per ISO week (in the display time zone), every week of the range listed. */
export async function concernsByWeek(db: Db, range: ReportRange): Promise<WeekRow[]> {
  const filed = await db
    .select({ createdAt: concerns.createdAt })
    .from(concerns)
    .where(counted(range));
  const perMonday = new Map<string, number>();
  for (const { createdAt } of filed) {
    const monday = isoWeek(localDay(createdAt, range.timeZone)).monday;
    perMonday.set(monday, (perMonday.get(monday) ?? 0) + 1);
  }
  return weeksOf(range).map((w) => ({ ...w, count: perMonday.get(w.monday) ?? 0 }));
}

/** Every ISO week the range touches, Monday first. */
function weeksOf(range: ReportRange): Omit<WeekRow, "count">[] {
  const rows: Omit<WeekRow, "count">[] = [];
  for (let monday = isoWeek(range.from).monday; monday <= range.to; monday = addDays(monday, 7)) {
    const { year, week } = isoWeek(monday);
    rows.push({ isoWeek: `${year}-W${String(week).padStart(2, "0")}`, year, week, monday, startMs: dayStart(monday, range.timeZone) });
  }
  return rows;
}

// ── Permission breaches per AI system and week ─────────────────────────────
export interface BreachReport {
  /** The columns: every AI system in use, and retired ones with breaches in the range. */
  systems: { systemId: number; slug: string | null; name: string | null; total: number }[];
  /** Every ISO week of the range; `counts[i]` belongs to `systems[i]`. */
  weeks: (Omit<WeekRow, "count"> & { counts: number[]; total: number })[];
  total: number;
}

/**
 * Permission breaches (SPEC §11.5) per AI system and ISO week of their detection (display time
 * zone), every week of the range listed — one range read on `permission_breaches.detected_at`.
 */
export async function breachesBySystemAndWeek(db: Db, range: ReportRange, lang: string): Promise<BreachReport> {
  const found = await db
    .select({ systemId: permissionBreaches.systemId, detectedAt: permissionBreaches.detectedAt })
    .from(permissionBreaches)
    .where(and(gte(permissionBreaches.detectedAt, range.fromMs), lt(permissionBreaches.detectedAt, range.toMs)));
  const names = await aiSystemNames(db, lang);
  const inRange = new Set(found.map((b) => b.systemId));
  const systems = (await db.select({ id: aiSystems.id, status: aiSystems.status }).from(aiSystems).orderBy(asc(aiSystems.id)))
    .filter((s) => s.status !== "retired" || inRange.has(s.id))
    .map((s) => ({ systemId: s.id, slug: names.get(s.id)?.slug ?? null, name: names.get(s.id)?.name ?? null, total: found.filter((b) => b.systemId === s.id).length }))
    .sort((a, b) => b.total - a.total || (a.name ?? "").localeCompare(b.name ?? "", lang));
  const column = new Map(systems.map((s, i) => [s.systemId, i]));
  const perMonday = new Map<string, number[]>();
  for (const { systemId, detectedAt } of found) {
    const monday = isoWeek(localDay(detectedAt, range.timeZone)).monday;
    const counts = perMonday.get(monday) ?? systems.map(() => 0);
    const i = column.get(systemId);
    if (i !== undefined) counts[i]! += 1;
    perMonday.set(monday, counts);
  }
  const weeks = weeksOf(range).map((w) => {
    const counts = perMonday.get(w.monday) ?? systems.map(() => 0);
    return { ...w, counts, total: counts.reduce((n, c) => n + c, 0) };
  });
  return { systems, weeks, total: weeks.reduce((n, w) => n + w.total, 0) };
}

// ── Response and resolution times ──────────────────────────────────────────
/**
 * The p-th percentile (0–1) of ascending values, interpolating linearly between the two nearest
 * ranks (the method of Excel's PERCENTILE.INC and NumPy's default); null when there are none.
 */
export function percentile(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  const position = (sorted.length - 1) * p;
  const lower = Math.floor(position);
  const upper = Math.ceil(position);
  const a = sorted[lower]!;
  const b = sorted[upper]!;
  return a + (b - a) * (position - lower);
}

export interface DurationStats {
  /** How many concerns the figure is based on. */
  count: number;
  medianHours: number | null;
  p90Hours: number | null;
}

function stats(hours: number[]): DurationStats {
  return { count: hours.length, medianHours: percentile(hours, 0.5), p90Hours: percentile(hours, 0.9) };
}

/** Resolved now: with an outcome, and still resolved or closed (a reopened concern is not). */
const isResolved = (c: { status: string; outcomeCode: string | null; resolvedAt: number | null }) =>
  c.resolvedAt !== null && c.outcomeCode !== null && (c.status === "resolved" || c.status === "closed");

/**
 * The concerns of the range with the columns the time and outcome figures need: one range read
 * on `created_at` (the resolved-now test is done here, so the query keeps to that index).
 */
async function handled(db: Db, range: ReportRange) {
  return db
    .select({
      status: concerns.status,
      outcomeCode: concerns.outcomeCode,
      createdAt: concerns.createdAt,
      firstResponseAt: concerns.firstResponseAt,
      resolvedAt: concerns.resolvedAt,
    })
    .from(concerns)
    .where(counted(range));
}

const ascending = (values: number[]) => values.sort((a, b) => a - b);

/**
 * Hours from filing to the first public staff reply, and from filing to resolution, for the
 * concerns filed in the range (those without a reply or resolution yet are not in the figure).
 */
export async function responseTimes(db: Db, range: ReportRange): Promise<{ firstResponse: DurationStats; resolution: DurationStats }> {
  const rows = await handled(db, range);
  const firstResponse = ascending(rows.flatMap((c) => (c.firstResponseAt === null ? [] : [(c.firstResponseAt - c.createdAt) / HOUR_MS])));
  const resolution = ascending(rows.filter(isResolved).map((c) => (c.resolvedAt! - c.createdAt) / HOUR_MS));
  return { firstResponse: stats(firstResponse), resolution: stats(resolution) };
}

// ── Outcomes ───────────────────────────────────────────────────────────────
export interface OutcomeReport {
  resolved: number;
  upheld: number;
  /** upheld + partly_upheld + action_reversed over all resolved; null when none is resolved. */
  shareUpheld: number | null;
  byOutcome: { code: string; count: number; share: number | null }[];
}

/** Outcomes of the concerns filed in the range that are resolved now. */
export async function outcomes(db: Db, range: ReportRange): Promise<OutcomeReport> {
  const byCode = new Map<string, number>();
  for (const c of (await handled(db, range)).filter(isResolved)) byCode.set(c.outcomeCode!, (byCode.get(c.outcomeCode!) ?? 0) + 1);
  const resolved = [...byCode].reduce((n, [, v]) => n + v, 0);
  const upheld = [...byCode].filter(([code]) => UPHELD_OUTCOMES.includes(code)).reduce((n, [, v]) => n + v, 0);
  const codes: string[] = [...OUTCOME_CODES, ...[...byCode.keys()].filter((c) => !(OUTCOME_CODES as readonly string[]).includes(c))];
  return {
    resolved,
    upheld,
    shareUpheld: resolved === 0 ? null : upheld / resolved,
    byOutcome: codes.map((code) => {
      const n = byCode.get(code) ?? 0;
      return { code, count: n, share: resolved === 0 ? null : n / resolved };
    }),
  };
}

// ── Choices ────────────────────────────────────────────────────────────────
export interface ChoiceValueRate {
  value: string;
  /** Customers who chose this value themselves. */
  explicit: number;
  /** Customers who never chose and have this value as the default. */
  byDefault: number;
  total: number;
  /** total over all customers; null when there are no customers. */
  share: number | null;
}

export interface ChoiceRate {
  key: string;
  kind: ChoiceKind;
  label: string;
  defaultValue: string;
  values: ChoiceValueRate[];
}

/**
 * Every customer's current value per choice (action kinds allow / ask / never, training yes / no,
 * human first yes / no). A customer without a row has the definition's default: counted in the
 * rate and reported separately. Erased customers are not counted.
 */
export async function choiceRates(db: Db, lang: string): Promise<{ customers: number; choices: ChoiceRate[] }> {
  const [activeRow] = await db.select({ n: count() }).from(customers).where(isNull(customers.erasedAt)).limit(1);
  const active = activeRow?.n ?? 0;
  const explicitRows = await db
    .select({ key: preferences.choiceKey, value: preferences.value, count: count() })
    .from(preferences)
    .innerJoin(customers, eq(customers.id, preferences.customerId))
    .where(isNull(customers.erasedAt))
    .groupBy(preferences.choiceKey, preferences.value);
  const definitions = await db.select().from(choiceDefinitions);
  const labels = new Map((await listChoices(db, lang)).map((c) => [c.key, c.label]));
  const choices: ChoiceRate[] = [];
  for (const definition of [...definitions].sort((a, b) => a.position - b.position || a.key.localeCompare(b.key))) {
    const kind = definition.kind as ChoiceKind;
    const allowed: readonly string[] = CHOICE_VALUES[kind] ?? [];
    const mine = explicitRows.filter((r) => r.key === definition.key);
    const chose = mine.reduce((n, r) => n + r.count, 0);
    const onDefault = Math.max(0, active - chose);
    choices.push({
      key: definition.key,
      kind,
      label: labels.get(definition.key) ?? definition.key,
      defaultValue: definition.defaultValue,
      values: allowed.map((value) => {
        const explicit = mine.find((r) => r.value === value)?.count ?? 0;
        const byDefault = value === definition.defaultValue ? onDefault : 0;
        const total = explicit + byDefault;
        return { value, explicit, byDefault, total, share: active === 0 ? null : total / active };
      }),
    });
  }
  return { customers: active, choices };
}

// ── Everything at once ─────────────────────────────────────────────────────
export interface Reports {
  range: ReportRange;
  total: number;
  bySystem: SystemRow[];
  byKind: { kind: string; count: number }[];
  byWeek: WeekRow[];
  responseTimes: { firstResponse: DurationStats; resolution: DurationStats };
  outcomes: OutcomeReport;
  choices: { customers: number; choices: ChoiceRate[] };
  breaches: BreachReport;
}

export async function buildReports(db: Db, range: ReportRange, lang: string): Promise<Reports> {
  const byKind = await concernsByKind(db, range);
  return {
    range,
    total: byKind.reduce((n, r) => n + r.count, 0),
    bySystem: await concernsBySystem(db, range, lang),
    byKind,
    byWeek: await concernsByWeek(db, range),
    responseTimes: await responseTimes(db, range),
    outcomes: await outcomes(db, range),
    choices: await choiceRates(db, lang),
    breaches: await breachesBySystemAndWeek(db, range, lang),
  };
}

// ── CSV ────────────────────────────────────────────────────────────────────
export type CsvCell = string | number | null;

/**
 * Spreadsheet formula injection: a cell that starts with = + - @, a tab or a carriage return may
 * be run as a formula when the file is opened, so it gets a leading apostrophe (OWASP).
 */
export function neutraliseCell(cell: CsvCell): string {
  if (cell === null) return "";
  const text = String(cell);
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

/** RFC 4180 CSV (CRLF, quoted where needed) with a UTF-8 byte order mark for spreadsheets. */
export function toCsv(rows: CsvCell[][]): string {
  return stringify(
    rows.map((row) => row.map(neutraliseCell)),
    { bom: true, record_delimiter: "windows" },
  );
}
