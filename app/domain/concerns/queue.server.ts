/**
 * The staff queue (SPEC §4 "Queue"): filters, search (folded text, or a whole reference in any
 * status), the nearest due date first, counts per status, and the staff who can take a case.
 */
import { and, asc, count, desc, eq, inArray, isNull, or, sql, type SQL } from "drizzle-orm";
import { concerns, staffUsers } from "../../../db/schema";
import { forEngine, type Db } from "../../utils/db.server";
import { searchKey, truncateText } from "../../utils/text";
import { aiSystemNames } from "../ai-register.server";
import { CONCERN_STATUSES, isOpen, QUEUE_PAGE_SIZE, QUEUE_SEARCH_MAX, type ConcernKind, type ConcernStatus, type Priority } from "../vocabulary";

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
  /** "breach": only the cases Candor opened for permission breaches (SPEC §11.5); "customer": only the others. */
  origin?: "customer" | "breach";
  q?: string;
  sort: "due" | "created";
  page: number;
}

const OPEN_STATUSES: ConcernStatus[] = CONCERN_STATUSES.filter((s) => isOpen(s));
const FAR_FUTURE = 8.64e15;

function effectiveSlaSql(now: number): SQL {
  return sql`(case when ${concerns.slaPausedAt} is not null then ${concerns.slaDueAt} + (${now} - ${concerns.slaPausedAt}) else ${concerns.slaDueAt} end)`;
}

/** The nearer of the SLA and statutory due times (far future when neither applies). */
function dueSql(db: Db, now: number): SQL {
  const sla = sql`coalesce(${effectiveSlaSql(now)}, ${FAR_FUTURE})`;
  const statutory = sql`coalesce(${concerns.statutoryDueAt}, ${FAR_FUTURE})`;
  // SQLite's two-argument min() is PostgreSQL's least().
  return forEngine(db, {
    sqlite: () => sql`min(${sla}, ${statutory})`,
    postgres: () => sql`least(${sla}, ${statutory})`,
  });
}

function overdueSql(now: number): SQL {
  return and(
    inArray(concerns.status, OPEN_STATUSES),
    or(sql`${effectiveSlaSql(now)} < ${now}`, sql`${concerns.statutoryDueAt} < ${now}`),
  )!;
}

const escapeLike = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);

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

/**
 * The queue's WHERE conditions. A search `q` that is a whole reference finds that concern in any
 * status, whatever the other filters say (staff look up a reference a customer quoted); any other
 * search matches the folded text (`searchKey`: case and accents ignored in every language) of the
 * reference, description and desired outcome, within the filters.
 */
function queueConditions(filters: QueueFilters, viewerId: number, now: number, withStatus: boolean): SQL[] {
  const q = filters.q?.trim().slice(0, QUEUE_SEARCH_MAX);
  const ref = q ? referenceQuery(q) : null;
  if (ref) return [eq(concerns.ref, ref)];
  const where: SQL[] = [];
  if (withStatus) {
    if (filters.status === "open") where.push(inArray(concerns.status, OPEN_STATUSES));
    else if (filters.status !== "all") where.push(eq(concerns.status, filters.status));
  }
  if (filters.kind) where.push(eq(concerns.kind, filters.kind));
  if (filters.systemId !== undefined) where.push(eq(concerns.systemId, filters.systemId));
  if (filters.lang) where.push(eq(concerns.lang, filters.lang));
  if (filters.assignee === "me") where.push(eq(concerns.assigneeId, viewerId));
  else if (filters.assignee === "none") where.push(isNull(concerns.assigneeId));
  else if (typeof filters.assignee === "number") where.push(eq(concerns.assigneeId, filters.assignee));
  if (filters.priority) where.push(eq(concerns.priority, filters.priority));
  if (filters.overdue) where.push(overdueSql(now));
  if (filters.origin) where.push(eq(concerns.origin, filters.origin));
  const key = q ? searchKey(q) : "";
  // Both sides are already folded (search_text is written folded, `key` too), so a plain LIKE
  // means the same on both engines (SQLite's ASCII case rule and PostgreSQL's case-sensitive
  // LIKE agree on folded text); `escape '\'` is valid on both (PostgreSQL's standard strings).
  if (key) where.push(sql`${concerns.searchText} like ${`%${escapeLike(key)}%`} escape '\\'`);
  return where;
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
  /** "breach": opened by Candor for a permission breach. */
  origin: string;
  excerpt: string;
  createdAt: number;
  dueAt: number | null;
  overdue: boolean;
}

export async function listQueue(db: Db, filters: QueueFilters, viewer: { id: number }, lang: string, now = Date.now()) {
  const where = queueConditions(filters, viewer.id, now, true);
  const whereSql = where.length ? and(...where) : undefined;
  const [counted] = await db.select({ n: count() }).from(concerns).where(whereSql);
  const total = counted?.n ?? 0;
  const pageCount = Math.max(1, Math.ceil(total / QUEUE_PAGE_SIZE));
  const page = Math.min(Math.max(1, filters.page), pageCount);
  const due = dueSql(db, now);
  const order = filters.sort === "created" ? [desc(concerns.createdAt), desc(concerns.id)] : [asc(due), asc(concerns.createdAt), asc(concerns.id)];
  const rows = await db
    // `overdue` is a boolean on PostgreSQL, 0/1 on SQLite.
    .select({ concern: concerns, due: sql<number>`${due}`.mapWith(Number), overdue: sql<boolean | number>`(${overdueSql(now)})` })
    .from(concerns)
    .where(whereSql)
    .orderBy(...order)
    .limit(QUEUE_PAGE_SIZE)
    .offset((page - 1) * QUEUE_PAGE_SIZE);
  // Counts per status under the other filters: each status link shows what choosing it would give.
  const others = queueConditions(filters, viewer.id, now, false);
  const perStatus = await db
    .select({ status: concerns.status, n: count() })
    .from(concerns)
    .where(others.length ? and(...others) : undefined)
    .groupBy(concerns.status);
  const counts = Object.fromEntries(CONCERN_STATUSES.map((s) => [s, perStatus.find((p) => p.status === s)?.n ?? 0])) as Record<ConcernStatus, number>;
  const systems = await aiSystemNames(db, lang);
  const staff = new Map((await db.select({ id: staffUsers.id, name: staffUsers.name }).from(staffUsers)).map((s) => [s.id, s]));
  return {
    page,
    pageCount,
    total,
    counts: {
      ...counts,
      open: OPEN_STATUSES.reduce((n, s) => n + counts[s], 0),
      all: CONCERN_STATUSES.reduce((n, s) => n + counts[s], 0),
    },
    rows: rows.map(({ concern: c, due: dueAt, overdue }): QueueRow => ({
      ref: c.ref,
      kind: c.kind,
      status: c.status,
      priority: c.priority,
      lang: c.lang,
      system: c.systemId !== null ? (systems.get(c.systemId) ?? null) : null,
      assignee: c.assigneeId !== null ? (staff.get(c.assigneeId) ?? { id: c.assigneeId, name: String(c.assigneeId) }) : null,
      seriousIncident: c.seriousIncident,
      origin: c.origin,
      excerpt: truncateText(c.description, 140),
      createdAt: c.createdAt,
      dueAt: dueAt >= FAR_FUTURE ? null : dueAt,
      overdue: Boolean(overdue),
    })),
  };
}

/** Active staff members, for the assignee filters and assignment forms. */
export async function assignableStaff(db: Db) {
  return db
    .select({ id: staffUsers.id, name: staffUsers.name, role: staffUsers.role })
    .from(staffUsers)
    .where(isNull(staffUsers.disabledAt))
    .orderBy(asc(staffUsers.name));
}
