/**
 * The staff queue (SPEC §4 "Queue"): filters, search (words of the folded text, or a whole
 * reference in any status), the nearest due date first, counts per status, and the staff who can
 * take a case. Every page is read from an index on stored columns (SPEC §10 "Growth"): the open
 * cases through partial indexes on `concerns.due_at` (see db/schema.ts), the search through the
 * full-text index of each engine, and the counts stop at QUEUE_COUNT_CAP.
 */
import { and, asc, desc, eq, gt, inArray, isNull, sql, type SQL } from "drizzle-orm";
import { concernStatusCounts, concerns, FINISHED_CONCERN_PREDICATE, OPEN_CONCERN_PREDICATE, staffUsers } from "../../../db/schema";
import { backfillSearchText, executeSql, forEngine, type Db } from "../../utils/db.server";
import { searchWords, textLength, truncateText } from "../../utils/text";
import { aiSystemNames } from "../ai-register.server";
import { can } from "../permissions";
import { getSetting } from "../settings.server";
import { staffWithoutTraining } from "../trainings.server";
import { CONCERN_STATUSES, isOpen, QUEUE_PAGE_SIZE, QUEUE_SEARCH_MAX, type ConcernKind, type ConcernStatus, type Priority } from "../vocabulary";
import { effectiveSlaDueAt, type Concern } from "./state.server";

export interface QueueFilters {
  /** "open" (the default: every status that still awaits work), "all", or one status. */
  status: "open" | "all" | ConcernStatus;
  kind?: ConcernKind;
  systemId?: number;
  lang?: string;
  /** "me", "none" (unassigned) or a staff id. */
  assignee?: "me" | "none" | number;
  overdue?: boolean;
  priority?: Priority;
  /**
   * "customer": filed by customers or visitors; "employee": employees' reports (SPEC §12);
   * "breach": the cases Candor opened for permission breaches (SPEC §11.5).
   */
  origin?: "customer" | "employee" | "breach";
  q?: string;
  sort: "due" | "created";
  page: number;
}

/**
 * Counts stop here: a count above it is shown as "more than 1,000" (a count is never a pass over
 * every matching row). A returned count of QUEUE_COUNT_CAP + 1 means "more than QUEUE_COUNT_CAP".
 */
export const QUEUE_COUNT_CAP = 1000;

/** `due_at` of a case with neither an SLA nor a statutory due date (db/schema.ts). */
export const NO_DUE_DATE = 8.64e15;


/**
 * "The case is open", the very predicate of the partial indexes (db/schema.ts): both planners use
 * a partial index only when the query states its predicate, with the statuses as literals.
 */
export const OPEN_SQL = OPEN_CONCERN_PREDICATE;

/**
 * PostgreSQL: the words of `search_text` as a tsvector — the expression of the GIN index
 * `concerns_search` (migrations/postgres/0006_queue_search.sql), split like SQLite's FTS5 "ascii" tokenizer at
 * ASCII spaces and punctuation. Written out here, not as a parameter, so the index serves it.
 */
const PG_SEARCH_VECTOR = sql.raw(
  `array_to_tsvector(array_remove(regexp_split_to_array("concerns"."search_text", '[\\x01-\\x2f\\x3a-\\x40\\x5b-\\x60\\x7b-\\x7f]+'), ''))`,
);

/** Most words a search uses (QUEUE_SEARCH_MAX characters allow ~100; beyond a few they add nothing). */
const SEARCH_TERMS_MAX = 12;

/**
 * How SQLite reads a search's page: "match" looks up every matching case and sorts them (cheap
 * while the matches are few); "order" walks the page's sort index and keeps the cases in the
 * match set (cheap once matches are many: the first page is found after a few rows, instead of
 * sorting all matches of a common word). "join": the statement joins `concerns_fts` itself and
 * reads the matches as the full-text index streams them (a bounded read stops after its LIMIT
 * instead of first listing every match). PostgreSQL's planner chooses by its own statistics.
 */
type SearchDrive = "match" | "order" | "join";

/**
 * The full-text condition for `terms` (folded words, `searchWords`): every word matches the
 * start of a word of the case (`überw` finds "Überweisung"). SQLite: FTS5 over `search_text`
 * (`concerns_fts`), each term quoted as a string (so `"`, `*`, `-`, `NEAR`, `AND` are text) with
 * the prefix star; PostgreSQL: the GIN index, each term a quoted lexeme with `:*`, joined by `&`.
 */
function searchSql(db: Db, terms: string[], drive: SearchDrive): SQL {
  return forEngine(db, {
    sqlite: () => {
      const match = terms.map((t) => `"${t.replace(/"/g, '""')}"*`).join(" ");
      if (drive === "join") return sql`concerns_fts match ${match}`;
      // The unary + keeps the planner from reading the cases through the match list (rowid lookups).
      const id = drive === "order" ? sql`+${concerns.id}` : sql`${concerns.id}`;
      return sql`${id} in (select rowid from concerns_fts where concerns_fts match ${match})`;
    },
    postgres: () => {
      const query = terms.map((t) => `'${t.replace(/['\\]/g, (c) => `\\${c}`)}':*`).join(" & ");
      return sql`${PG_SEARCH_VECTOR} @@ cast(${query} as tsquery)`;
    },
  });
}

// Crockford base32 as people misread it: O is 0, I and L are 1.
const CROCKFORD_MISREAD: Record<string, string> = { O: "0", I: "1", L: "1" };

/**
 * A search that is a whole concern reference — `C-7K3F-9Q2M`, any case, with or without dashes or
 * spaces (`c7k3f9q2m`), O/I/L read as 0/1 — as the canonical reference; otherwise null.
 */
export function referenceQuery(q: string): string | null {
  const compact = q.replace(/[\s\-–]/g, "").toUpperCase();
  if (!/^C[0-9A-Z]{8}$/.test(compact)) return null;
  const body = compact.slice(1).replace(/[OIL]/g, (c) => CROCKFORD_MISREAD[c]!);
  if (!/^[0-9A-HJKMNP-TV-Z]{8}$/.test(body)) return null;
  return `C-${body.slice(0, 4)}-${body.slice(4)}`;
}

type StatusScope = "open" | "all" | ConcernStatus;
/** What a count covers: a status scope, or "finished" (every status that is not open). */
type CountScope = StatusScope | "finished";

/**
 * The queue's WHERE conditions for the cases in `scope`. A search `q` that is a whole reference
 * finds that concern in any status, whatever the other filters say (staff look up a reference a
 * customer quoted); any other search needs every word of `q` to start a word of the case's
 * reference, description or desired outcome (folded: case and accents ignored in every language,
 * `searchWords`), within the filters; a search without a letter or digit finds nothing. Overdue
 * is `due_at < now`, which is exactly "past its SLA (a paused clock does not run) or statutory due
 * date" (see db/schema.ts `due_at`).
 */
function queueConditions(db: Db, filters: QueueFilters, viewerId: number, now: number, scope: CountScope, drive: SearchDrive = "match"): SQL[] {
  const q = filters.q?.trim().slice(0, QUEUE_SEARCH_MAX);
  const ref = q ? referenceQuery(q) : null;
  const statusIs = scope === "open" || scope === "all" || scope === "finished" ? [] : [eq(concerns.status, scope)];
  if (ref) return [eq(concerns.ref, ref), ...(scope === "open" ? [OPEN_SQL] : scope === "finished" ? [FINISHED_CONCERN_PREDICATE] : statusIs)];
  const where: SQL[] = [];
  // A single status is stated as open or finished too, so the partial indexes can serve it.
  if (scope === "open" || filters.overdue || (scope !== "all" && scope !== "finished" && isOpen(scope))) where.push(OPEN_SQL);
  if (scope === "finished" || (scope !== "all" && scope !== "open" && !isOpen(scope))) where.push(FINISHED_CONCERN_PREDICATE);
  where.push(...statusIs);
  if (filters.kind) where.push(eq(concerns.kind, filters.kind));
  if (filters.systemId !== undefined) where.push(eq(concerns.systemId, filters.systemId));
  if (filters.lang) where.push(eq(concerns.lang, filters.lang));
  if (filters.assignee === "me") where.push(eq(concerns.assigneeId, viewerId));
  else if (filters.assignee === "none") where.push(isNull(concerns.assigneeId));
  else if (typeof filters.assignee === "number") where.push(eq(concerns.assigneeId, filters.assignee));
  if (filters.priority) where.push(eq(concerns.priority, filters.priority));
  if (filters.overdue) where.push(sql`${concerns.dueAt} < ${now}`);
  if (filters.origin) where.push(eq(concerns.origin, filters.origin));
  if (q) {
    const terms = searchWords(q).slice(0, SEARCH_TERMS_MAX);
    where.push(terms.length ? searchSql(db, terms, drive) : sql`1 = 0`);
  }
  return where;
}

/**
 * How many rows match each of `conditions`, each counted no further than its cap + 1 (an index
 * range read, never a pass over every match): one statement, one round trip.
 */
async function cappedCounts(db: Db, conditions: { where: SQL[]; cap: number }[]): Promise<number[]> {
  const columns = conditions.map(({ where, cap }, i) => {
    const matches = db
      .select({ one: sql`1`.as("one") })
      .from(concerns)
      // No condition at all ("all", unfiltered) still reads a range of the primary key, not the table.
      .where(where.length ? and(...where) : gt(concerns.id, 0))
      .limit(cap + 1);
    return sql`(select count(*) from (${matches}) as ${sql.identifier(`m${i}`)}) as ${sql.identifier(`c${i}`)}`;
  });
  const [row] = await executeSql<Record<string, number | string>>(db, sql`select ${sql.join(columns, sql`, `)}`);
  // PostgreSQL's count(*) is a bigint, which node-postgres returns as a string.
  return conditions.map((_, i) => Number(row?.[`c${i}`] ?? 0));
}

/**
 * The counts per status of a word search, from a bounded read: the full-text match with the other
 * filters (`where`: queueConditions with scope "all" and drive "join"), at most `cap` + 1
 * matching cases, counted per status (one statement, one row per status back). SQLite streams
 * the matches from the full-text index, newest filed first (descending id, no sort); PostgreSQL
 * reads them as its bitmap scan of the index returns them (a descending sort there would read
 * every match).
 * With other filters, the read passes over the matches they exclude too.
 *
 * Returns the count per status and `complete`: true when the read ended before `cap` + 1 cases,
 * so every count is exact; false when it stopped there: more than `cap` cases match, and each
 * count is a lower bound (at least that many). An exact count per status cannot stop earlier: the
 * full-text indexes hold the words, not the status, so the matches of one status may be the last
 * ones read. A common word matches thousands of cases at a million customers; reading them all made
 * the search the one queue page that grew with the data (issue 10).
 */
async function searchCounts(db: Db, where: SQL[], cap: number): Promise<{ perStatus: Map<ConcernStatus, number>; complete: boolean }> {
  const read = forEngine(db, {
    sqlite: () => sql`select ${concerns.status} from concerns_fts join ${concerns} on ${concerns.id} = concerns_fts.rowid where ${and(...where)} order by concerns_fts.rowid desc limit ${cap + 1}`,
    // Numbered rows, not a LIMIT: a LIMIT lets the planner prefer a sequential scan that folds
    // every row's text until enough match; the row number's run condition (PostgreSQL 15+) stops
    // the bitmap heap scan of the full-text index just the same.
    postgres: () =>
      sql`select ${sql.identifier("status")} from (select ${concerns.status}, row_number() over () as ${sql.identifier("rn")} from ${concerns} where ${and(...where)}) as ${sql.identifier("numbered")} where ${sql.identifier("rn")} <= ${cap + 1}`,
  });
  const rows = await executeSql<{ status: string; n: number | string }>(db, sql`select ${sql.identifier("status")}, count(*) as ${sql.identifier("n")} from (${read}) as ${sql.identifier("m")} group by ${sql.identifier("status")}`);
  // PostgreSQL's count(*) is a bigint, which node-postgres returns as a string.
  const found = new Map(rows.map((r) => [r.status, Number(r.n)]));
  const perStatus = new Map(CONCERN_STATUSES.map((status) => [status, found.get(status) ?? 0]));
  return { perStatus, complete: rows.reduce((sum, r) => sum + Number(r.n), 0) <= cap };
}

/** No filter and no search: the view whose counts the maintained table answers exactly. */
function isUnfiltered(filters: QueueFilters): boolean {
  return (
    !filters.kind &&
    filters.systemId === undefined &&
    !filters.lang &&
    filters.assignee === undefined &&
    !filters.overdue &&
    !filters.priority &&
    !filters.origin &&
    !filters.q?.trim()
  );
}

/** The exact counts per status (and "open", "all") from concern_status_counts, kept by triggers (db/schema.ts). */
async function statusCounts(db: Db): Promise<Record<StatusScope, number>> {
  const rows = await db.select().from(concernStatusCounts);
  const n = (status: string) => Number(rows.find((r) => r.status === status)?.n ?? 0);
  const perStatus = Object.fromEntries(CONCERN_STATUSES.map((s) => [s, n(s)])) as Record<ConcernStatus, number>;
  return {
    ...perStatus,
    open: CONCERN_STATUSES.filter((s) => isOpen(s)).reduce((sum, s) => sum + perStatus[s], 0),
    all: CONCERN_STATUSES.reduce((sum, s) => sum + perStatus[s], 0),
  };
}

/** The nearer of the SLA (as it stands at `now`) and the statutory due date; null when neither applies. */
function dueAt(concern: Pick<Concern, "slaDueAt" | "slaPausedAt" | "statutoryDueAt">, now: number): number | null {
  const dates = [effectiveSlaDueAt(concern, now), concern.statutoryDueAt].filter((d): d is number => d !== null);
  return dates.length ? Math.min(...dates) : null;
}

/** Characters (grapheme clusters) of a row's excerpt of its description. */
const EXCERPT_LENGTH = 140;
/**
 * Code points of the description a page reads for the excerpt (SQL `substr`, which counts code
 * points on both engines): enough for EXCERPT_LENGTH + 2 characters of ordinary text, emoji
 * sequences included, without reading whole descriptions.
 */
const EXCERPT_SOURCE = 600;

/**
 * The excerpt of a description from its first EXCERPT_SOURCE + 1 code points (`head`), or null
 * when `head` cannot decide it (a long run of combining marks): then the whole text is needed.
 * Every character boundary of a prefix but its last is the whole text's (UAX #29 rules look at
 * the characters up to the next one), so EXCERPT_LENGTH + 2 characters decide where it is cut.
 */
function excerptFromHead(head: string): string | null {
  let codePoints = 0;
  for (const _ of head) codePoints++;
  if (codePoints <= EXCERPT_SOURCE || textLength(head) >= EXCERPT_LENGTH + 2) return truncateText(head, EXCERPT_LENGTH);
  return null;
}

export interface QueueRow {
  ref: string;
  kind: string;
  status: string;
  priority: string;
  lang: string;
  system: { slug: string; name: string } | null;
  assignee: { id: number; name: string } | null;
  seriousIncident: boolean;
  /** "customer", "employee" (an employee's report) or "breach" (opened by Candor for a permission breach). */
  origin: string;
  /**
   * Who filed an employee report — the typed name or the staff account's name — only for a viewer
   * with `reporters.view` (SPEC §12); null otherwise, and for anonymous reports.
   */
  reporter: string | null;
  excerpt: string;
  createdAt: number;
  /** The exact due time at `now` (a paused SLA moves along with the clock); null when none applies. */
  dueAt: number | null;
  overdue: boolean;
}

/**
 * One page of the queue (QUEUE_PAGE_SIZE rows) for `filters`, seen by staff member `viewer`
 * (for "assigned to me"; its `role` decides whether employee reports name their reporter, SPEC §12)
 * in `lang` (AI system names). Sorted by the stored due key (`due_at`,
 * then filing time) or by filing time, newest first. `options.systems`: the names as
 * `aiSystemNames(db, lang)` gives them, when the caller has read them already; `options.countCap`:
 * where counts stop (QUEUE_COUNT_CAP; tests set a small one).
 *
 * Returns `{ page, pageCount, hasNext, total, totalIsLowerBound, totalIsMinimum, counts,
 * countsAreCapped, countsAreLowerBounds, rows }`:
 * - `counts`: per status (and "open", "all") under the other filters: what choosing that status
 *   would give. Without filter or search they are exact, read from concern_status_counts (and
 *   so is `total`); otherwise (`countsAreCapped`) each is counted up to the cap + 1 (= "more than
 *   the cap").
 * - A word search counts from one bounded read of at most cap + 1 matches (searchCounts). Up to
 *   the cap every figure is exact, as above. When more match (`countsAreLowerBounds`), each count
 *   is a lower bound — at least that many; a count above the cap still means "more than the cap" —
 *   and the page's own status count is at least the cases this page and the earlier ones showed.
 * - `total`: the cases of the requested view, counted up to the cap past the page's start. Either
 *   exact; or `totalIsLowerBound`: more than `total` (then `pageCount` is a lower bound too, always
 *   past the current page); or `totalIsMinimum` (a word search that stopped counting): `total` or
 *   more, and `pageCount` is at least the pages known to exist. A word search that stopped
 *   counting knows its total exactly once a page ends its view (no `hasNext`).
 * - `hasNext`: a later page has cases (read as one row past the page: no count needed).
 * `now`: ms since epoch UTC, for "overdue" and the due times shown. A whole reference searched for
 * is found in any status and counted exactly (one case at most).
 */
export async function listQueue(
  db: Db,
  filters: QueueFilters,
  viewer: { id: number; role?: string },
  lang: string,
  now = Date.now(),
  options: { systems?: Map<number, { slug: string; name: string }>; countCap?: number } = {},
) {
  const cap = options.countCap ?? QUEUE_COUNT_CAP;
  const requested = Math.max(1, filters.page);
  const countUpTo = (requested - 1) * QUEUE_PAGE_SIZE + cap;
  // A whole reference is found in any status; the tabs still count it under its own status only.
  const q = filters.q?.trim().slice(0, QUEUE_SEARCH_MAX);
  const wordSearch = Boolean(q && !referenceQuery(q));
  const pageScope: StatusScope = q && !wordSearch ? "all" : filters.status;
  let counts: Record<StatusScope, number>;
  let counted: number;
  let countsAreLowerBounds = false;
  const countsAreCapped = !isUnfiltered(filters);
  const sum = (list: number[]) => list.reduce((total, n) => total + n, 0);
  if (wordSearch) {
    const found = await searchCounts(db, queueConditions(db, filters, viewer.id, now, "all", "join"), cap);
    countsAreLowerBounds = !found.complete;
    const perStatus = Object.fromEntries(CONCERN_STATUSES.map((status) => [status, found.perStatus.get(status)!])) as Record<ConcernStatus, number>;
    counts = {
      ...perStatus,
      open: sum(CONCERN_STATUSES.filter((s) => isOpen(s)).map((s) => perStatus[s])),
      all: sum(CONCERN_STATUSES.map((s) => perStatus[s])),
    };
    counted = counts[pageScope];
  } else if (countsAreCapped) {
    // "All statuses" is counted as its open and its finished part (sums capped again): every
    // count states a partial index's predicate or one status, so none reads the whole table.
    const totalParts: CountScope[] = pageScope === "all" ? ["open", "finished"] : [pageScope];
    const scopes = [
      ...totalParts.map((scope) => ({ scope, cap: countUpTo })),
      ...CONCERN_STATUSES.map((status) => ({ scope: status as CountScope, cap })),
    ];
    const numbers = await cappedCounts(db, scopes.map(({ scope, cap: upTo }) => ({ where: queueConditions(db, filters, viewer.id, now, scope), cap: upTo })));
    counted = Math.min(sum(numbers.slice(0, totalParts.length)), countUpTo + 1);
    const perStatus = Object.fromEntries(CONCERN_STATUSES.map((status, i) => [status, numbers[totalParts.length + i]!])) as Record<ConcernStatus, number>;
    counts = {
      ...perStatus,
      open: Math.min(sum(CONCERN_STATUSES.filter((s) => isOpen(s)).map((s) => perStatus[s])), cap + 1),
      all: Math.min(sum(CONCERN_STATUSES.map((s) => perStatus[s])), cap + 1),
    };
  } else {
    counts = await statusCounts(db);
    counted = counts[filters.status];
  }
  let totalIsLowerBound = countsAreCapped && !countsAreLowerBounds && counted > countUpTo;
  let total = totalIsLowerBound ? countUpTo : counted;
  let pageCount = Math.max(1, Math.ceil(total / QUEUE_PAGE_SIZE));
  // A count that stopped early cannot say where the view ends: the requested page is read as asked.
  const page = countsAreLowerBounds ? requested : Math.min(requested, pageCount);
  // Over the cap: walking the sort index reaches the page's rows sooner than sorting all matches.
  const drive: SearchDrive = countsAreCapped && counts.all > cap ? "order" : "match";
  const where = queueConditions(db, filters, viewer.id, now, pageScope, drive);
  const order = filters.sort === "created" ? [desc(concerns.createdAt), desc(concerns.id)] : [asc(concerns.dueAt), asc(concerns.createdAt), asc(concerns.id)];
  // Only what a row shows: not the whole description nor the search text of every case.
  const rows = await db
    .select({
      id: concerns.id,
      ref: concerns.ref,
      kind: concerns.kind,
      status: concerns.status,
      priority: concerns.priority,
      lang: concerns.lang,
      systemId: concerns.systemId,
      assigneeId: concerns.assigneeId,
      seriousIncident: concerns.seriousIncident,
      origin: concerns.origin,
      reporterStaffId: concerns.reporterStaffId,
      reporterName: concerns.reporterName,
      createdAt: concerns.createdAt,
      slaDueAt: concerns.slaDueAt,
      slaPausedAt: concerns.slaPausedAt,
      statutoryDueAt: concerns.statutoryDueAt,
      descriptionHead: sql<string>`substr(${concerns.description}, 1, ${sql.raw(String(EXCERPT_SOURCE + 1))})`,
    })
    .from(concerns)
    .where(where.length ? and(...where) : undefined)
    .orderBy(...order)
    .limit(QUEUE_PAGE_SIZE + 1)
    .offset((page - 1) * QUEUE_PAGE_SIZE);
  const hasNext = rows.length > QUEUE_PAGE_SIZE;
  if (hasNext) rows.pop();
  let totalIsMinimum = false;
  if (countsAreLowerBounds) {
    // What this page and the earlier ones showed is a lower bound too; the view's last page makes it exact.
    const seen = (page - 1) * QUEUE_PAGE_SIZE + rows.length;
    const exact = !hasNext && (rows.length > 0 || page === 1);
    counts[pageScope] = exact ? seen : Math.max(counts[pageScope], seen + (hasNext ? 1 : 0));
    total = exact ? seen : counts[pageScope];
    totalIsMinimum = !exact;
    totalIsLowerBound = false;
    if (!exact && total > countUpTo) [total, totalIsLowerBound, totalIsMinimum] = [countUpTo, true, false];
    pageCount = exact ? Math.max(1, page) : Math.max(Math.ceil(total / QUEUE_PAGE_SIZE), page + (hasNext ? 1 : 0));
  }
  const excerpts = new Map(rows.map((c) => [c.id, excerptFromHead(c.descriptionHead)]));
  const undecided = rows.filter((c) => excerpts.get(c.id) === null).map((c) => c.id);
  if (undecided.length) {
    const whole = await db.select({ id: concerns.id, description: concerns.description }).from(concerns).where(inArray(concerns.id, undecided));
    for (const c of whole) excerpts.set(c.id, truncateText(c.description, EXCERPT_LENGTH));
  }
  const systems = options.systems ?? (await aiSystemNames(db, lang));
  const staff = new Map((await db.select({ id: staffUsers.id, name: staffUsers.name }).from(staffUsers)).map((s) => [s.id, s]));
  const seesReporters = viewer.role !== undefined && can(viewer.role, "reporters.view");
  const reporterOf = (c: { origin: string; reporterStaffId: number | null; reporterName: string | null }) => {
    if (!seesReporters || c.origin !== "employee") return null;
    return c.reporterStaffId !== null ? (staff.get(c.reporterStaffId)?.name ?? String(c.reporterStaffId)) : c.reporterName;
  };
  return {
    page,
    pageCount,
    hasNext,
    total,
    totalIsLowerBound,
    totalIsMinimum,
    counts,
    countsAreCapped,
    countsAreLowerBounds,
    rows: rows.map((c): QueueRow => {
      const due = dueAt(c, now);
      return {
        ref: c.ref,
        kind: c.kind,
        status: c.status,
        priority: c.priority,
        lang: c.lang,
        system: c.systemId !== null ? (systems.get(c.systemId) ?? null) : null,
        assignee: c.assigneeId !== null ? (staff.get(c.assigneeId) ?? { id: c.assigneeId, name: String(c.assigneeId) }) : null,
        seriousIncident: c.seriousIncident,
        origin: c.origin,
        reporter: reporterOf(c),
        excerpt: excerpts.get(c.id) ?? "",
        createdAt: c.createdAt,
        dueAt: due,
        overdue: isOpen(c.status) && due !== null && due < now,
      };
    }),
  };
}

/**
 * Active staff members, for the assignee filters and assignment forms: `{id, name, role, trained}`,
 * by name. `trained` is false for those without a current AI-literacy training while
 * "require training" is on (AI Act Art. 4): the forms say so, the domain refuses them.
 */
export async function assignableStaff(db: Db, now = Date.now()) {
  const rows = await db
    .select({ id: staffUsers.id, name: staffUsers.name, role: staffUsers.role })
    .from(staffUsers)
    .where(isNull(staffUsers.disabledAt))
    .orderBy(asc(staffUsers.name));
  const untrained = (await getSetting(db, "requireTraining")) ? new Set((await staffWithoutTraining(db, now)).map((s) => s.staffId)) : new Set<number>();
  return rows.map((row) => ({ ...row, trained: !untrained.has(row.id) }));
}

/**
 * Makes the search index whole after a bulk load that bypassed the domain: folds every missing
 * `search_text` (backfillSearchText), then on SQLite rebuilds the FTS5 table from the column
 * (triggers keep it current for every ordinary write, so this is only for loads that disabled
 * them or wrote the file by other means). PostgreSQL's GIN index follows the column by itself.
 * Returns the number of search texts filled.
 */
export async function rebuildConcernSearchIndex(db: Db): Promise<number> {
  const filled = await backfillSearchText(db);
  await forEngine(db, {
    sqlite: () => executeSql(db, sql`insert into concerns_fts(concerns_fts) values ('rebuild')`),
    postgres: async () => [],
  });
  return filled;
}
