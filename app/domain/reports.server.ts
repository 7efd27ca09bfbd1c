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
 * Every concern and choice figure is read from pre-aggregated figures (report-figures.server.ts:
 * per local day of filing, and per choice value), brought up to date first — so a report costs the
 * same at ten thousand customers as at a million; durations are kept in whole seconds (a
 * percentile within half a second of the one on milliseconds). Breaches are rare: they are read by
 * a range scan on `permission_breaches.detected_at`, bounded by the range.
 */
import { stringify } from "csv-stringify/sync";
import { and, asc, gte, lt } from "drizzle-orm";
import { aiSystems, choiceDefinitions, permissionBreaches } from "../../db/schema";
import type { Db } from "../utils/db.server";
import { aiSystemNames } from "./ai-register.server";
import { listChoices } from "./preferences.server";
import { addDays, dayStart, daysBetween, isoWeek, localDay, type IsoDay } from "../utils/calendar";
import { CHOICE_VALUES, CONCERN_KINDS, type ChoiceKind } from "./vocabulary";
import { choiceFigures, concernCounts, concernsPerDay, durationRanks, refreshReportFigures, type DurationMeasure } from "./report-figures.server";

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

const HOUR_S = 60 * 60;

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

/**
 * Brings the pre-aggregated figures up to date with every committed change (report-figures.server.ts),
 * in the range's display time zone. Every public report function calls it; `buildReports` once.
 */
async function fresh(db: Db, range: ReportRange): Promise<number> {
  return (await refreshReportFigures(db, range.timeZone)).version;
}

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
 * `employeeOnly`: employees' reports alone (SPEC §12 "their own report figures").
 */
export async function concernsBySystem(db: Db, range: ReportRange, lang: string, employeeOnly = false): Promise<SystemRow[]> {
  await fresh(db, range);
  return bySystem(db, range, lang, await registerOf(db, lang), employeeOnly);
}

/** The AI systems (id order) with their status, and their names in `lang`: read once per report page. */
interface Register {
  systems: { id: number; status: string }[];
  names: Map<number, { slug: string; name: string }>;
}

async function registerOf(db: Db, lang: string): Promise<Register> {
  return { systems: await db.select({ id: aiSystems.id, status: aiSystems.status }).from(aiSystems).orderBy(asc(aiSystems.id)), names: await aiSystemNames(db, lang) };
}

async function bySystem(db: Db, range: ReportRange, lang: string, { systems, names }: Register, employeeOnly = false): Promise<SystemRow[]> {
  const counts = [...(await concernCounts(db, employeeOnly ? "employee_system" : "system", range))].map(([key, n]) => ({ systemId: key === "" ? null : Number(key), count: n }));
  const byId = new Map(counts.map((c) => [c.systemId, c.count]));
  const rows: SystemRow[] = systems
    .filter((s) => s.status !== "retired" || byId.has(s.id))
    .map((s) => ({ systemId: s.id, slug: names.get(s.id)?.slug ?? null, name: names.get(s.id)?.name ?? null, count: byId.get(s.id) ?? 0 }));
  const none = byId.get(null) ?? 0;
  rows.sort((a, b) => b.count - a.count || (a.name ?? "").localeCompare(b.name ?? "", lang));
  if (none > 0) rows.push({ systemId: null, slug: null, name: null, count: none });
  return rows;
}

/** Concerns per kind, every kind listed in the vocabulary's order; `employeeOnly`: employees' reports alone. */
export async function concernsByKind(db: Db, range: ReportRange, employeeOnly = false): Promise<{ kind: string; count: number }[]> {
  await fresh(db, range);
  return byKindOf(db, range, employeeOnly);
}

async function byKindOf(db: Db, range: ReportRange, employeeOnly = false): Promise<{ kind: string; count: number }[]> {
  const counts = [...(await concernCounts(db, employeeOnly ? "employee_kind" : "kind", range))].map(([kind, n]) => ({ kind, count: n }));
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

/** Concerns per ISO week (in the display time zone), every week of the range listed; `employeeOnly`: employees' reports alone. */
export async function concernsByWeek(db: Db, range: ReportRange, employeeOnly = false): Promise<WeekRow[]> {
  await fresh(db, range);
  return byWeekOf(db, range, employeeOnly);
}

async function byWeekOf(db: Db, range: ReportRange, employeeOnly = false): Promise<WeekRow[]> {
  const perMonday = new Map<string, number>();
  for (const [day, n] of await concernsPerDay(db, range, employeeOnly)) {
    const monday = mondayOf(day);
    perMonday.set(monday, (perMonday.get(monday) ?? 0) + n);
  }
  return weeksOf(range).map((w) => ({ ...w, count: perMonday.get(w.monday) ?? 0 }));
}

/** The Monday of a calendar day's ISO week (plain calendar arithmetic: no time zone involved). */
export function mondayOf(day: IsoDay): IsoDay {
  const [y, m, d] = day.split("-").map(Number) as [number, number, number];
  const noon = Date.UTC(y, m - 1, d, 12);
  const sinceMonday = (new Date(noon).getUTCDay() + 6) % 7;
  return new Date(noon - sinceMonday * 86_400_000).toISOString().slice(0, 10);
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
  return breachesOf(db, range, lang, await registerOf(db, lang));
}

async function breachesOf(db: Db, range: ReportRange, lang: string, register: Register): Promise<BreachReport> {
  const found = await db
    .select({ systemId: permissionBreaches.systemId, detectedAt: permissionBreaches.detectedAt })
    .from(permissionBreaches)
    .where(and(gte(permissionBreaches.detectedAt, range.fromMs), lt(permissionBreaches.detectedAt, range.toMs)));
  const { names } = register;
  const inRange = new Set(found.map((b) => b.systemId));
  const systems = register.systems
    .filter((s) => s.status !== "retired" || inRange.has(s.id))
    .map((s) => ({ systemId: s.id, slug: names.get(s.id)?.slug ?? null, name: names.get(s.id)?.name ?? null, total: found.filter((b) => b.systemId === s.id).length }))
    .sort((a, b) => b.total - a.total || (a.name ?? "").localeCompare(b.name ?? "", lang));
  const column = new Map(systems.map((s, i) => [s.systemId, i]));
  const perMonday = new Map<string, number[]>();
  for (const { systemId, detectedAt } of found) {
    const monday = mondayOf(localDay(detectedAt, range.timeZone));
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

/**
 * Percentiles already computed, per measure, range and figures version: the one report figure
 * whose reading grows with the concerns in the range (the database walks their distribution), so
 * it is kept until any figure changes (the version, read from the database, says so on every
 * instance). Never stale; a handful of entries.
 */
const durationCaches = new WeakMap<Db, Map<string, DurationStats>>();
const DURATION_CACHE_SIZE = 64;

async function durationStats(db: Db, measure: DurationMeasure, range: ReportRange, version: number): Promise<DurationStats> {
  // Per database handle: a process (or a test run) may hold several databases.
  let cache = durationCaches.get(db);
  if (!cache) durationCaches.set(db, (cache = new Map()));
  const key = `${version}|${measure}|${range.from}|${range.to}|${range.timeZone}`;
  const cached = cache.get(key);
  if (cached) return cached;
  const stats = await computeDurationStats(db, measure, range);
  if (cache.size >= DURATION_CACHE_SIZE) cache.delete(cache.keys().next().value!);
  cache.set(key, stats);
  return stats;
}

async function computeDurationStats(db: Db, measure: DurationMeasure, range: ReportRange): Promise<DurationStats> {
  const { count, p50, p90 } = await durationRanks(db, measure, range);
  // The interpolation of `percentile`, on the two values the database found at its ranks.
  const at = (p: number, values: [number, number] | null) => {
    if (values === null) return null;
    const position = (count - 1) * p;
    const a = values[0] / HOUR_S;
    const b = values[1] / HOUR_S;
    return a + (b - a) * (position - Math.floor(position));
  };
  return { count, medianHours: at(0.5, p50), p90Hours: at(0.9, p90) };
}

/**
 * Hours from filing to the first public staff reply, and from filing to resolution (concerns
 * resolved now: with an outcome, resolved or closed), for the concerns filed in the range (those
 * without a reply or resolution yet are not in the figure). Durations in whole seconds.
 */
export async function responseTimes(db: Db, range: ReportRange): Promise<{ firstResponse: DurationStats; resolution: DurationStats }> {
  return responseTimesOf(db, range, await fresh(db, range));
}

async function responseTimesOf(db: Db, range: ReportRange, version: number): Promise<{ firstResponse: DurationStats; resolution: DurationStats }> {
  return { firstResponse: await durationStats(db, "first_response", range, version), resolution: await durationStats(db, "resolution", range, version) };
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
  await fresh(db, range);
  return outcomesOf(db, range);
}

async function outcomesOf(db: Db, range: ReportRange): Promise<OutcomeReport> {
  const byCode = await concernCounts(db, "outcome", range);
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
  await refreshReportFigures(db);
  return choiceRatesOf(db, lang);
}

async function choiceRatesOf(db: Db, lang: string): Promise<{ customers: number; choices: ChoiceRate[] }> {
  const figures = await choiceFigures(db);
  const active = figures.customers;
  const explicitRows = figures.explicit.map((r) => ({ key: r.choiceKey, value: r.value, count: r.customers }));
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
  /** Employees' reports alone (SPEC §12), counted in the figures above too. */
  employee: { total: number; bySystem: SystemRow[]; byKind: { kind: string; count: number }[]; byWeek: WeekRow[] };
}

/**
 * Every report for the range in the staff member's language: brings the figures up to date once,
 * then reads them (a fixed number of small queries whatever the number of customers or concerns).
 */
export async function buildReports(db: Db, range: ReportRange, lang: string): Promise<Reports> {
  const version = await fresh(db, range);
  const register = await registerOf(db, lang);
  const byKind = await byKindOf(db, range);
  return {
    range,
    total: byKind.reduce((n, r) => n + r.count, 0),
    bySystem: await bySystem(db, range, lang, register),
    byKind,
    byWeek: await byWeekOf(db, range),
    responseTimes: await responseTimesOf(db, range, version),
    outcomes: await outcomesOf(db, range),
    choices: await choiceRatesOf(db, lang),
    breaches: await breachesOf(db, range, lang, register),
    employee: await employeeFiguresOf(db, range, lang, register),
  };
}

/**
 * Employees' reports (SPEC §12 "their own report figures") in the range: the total, per AI system
 * (as concernsBySystem), per kind and per ISO week, from the figures' own dimensions — a fixed
 * number of small reads at any size. For the CSV export; the page reads them with buildReports.
 */
export async function employeeReportFigures(db: Db, range: ReportRange, lang: string): Promise<Reports["employee"]> {
  await fresh(db, range);
  return employeeFiguresOf(db, range, lang, await registerOf(db, lang));
}

async function employeeFiguresOf(db: Db, range: ReportRange, lang: string, register: Register): Promise<Reports["employee"]> {
  const byKind = await byKindOf(db, range, true);
  return {
    total: byKind.reduce((n, r) => n + r.count, 0),
    bySystem: await bySystem(db, range, lang, register, true),
    byKind,
    byWeek: await byWeekOf(db, range, true),
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
