/**
 * Staff are told (SPEC §12): emails to staff members, in each one's language (`staff_users.locale`),
 * through the same durable outbox as customer emails (outbox.server.ts sends them), for the kinds of
 * STAFF_NOTIFICATION_KINDS — each staff member chooses which they get (defaults per role).
 *
 * Nothing here is called by the code that makes the change: every notification is derived by a
 * periodic scan (`queueStaffNotifications`, on the worker's tick) from a cursor per source —
 *   - new concerns and employee reports: `concerns.id`, for rows older than SETTLE_MS (an id taken
 *     by a transaction that commits late is still read: PostgreSQL's ids are not commit-ordered);
 *   - assignments, serious-incident flags, permission breaches: `audit_log.id` (appended under the
 *     chain's lock, so its ids are in commit order);
 *   - deadlines approaching (DEADLINE_WARNING_MS before `due_at`) and passed: `concerns.due_at`
 *     crossing into the window since the last scan (the open cases' due-date index);
 * and each email is queued exactly once: a `staff_notifications` row (staff member, kind, subject)
 * with a unique key, inserted `on conflict do nothing` in the transaction that writes its outbox
 * row. A source's cursor row is locked for the batch (`FOR UPDATE SKIP LOCKED` on PostgreSQL), so
 * the workers of several instances never scan the same window at once. The first scan of a source
 * only sets its cursor to "now": an existing database does not email its history.
 *
 * Emails hold no personal data of customers (SPEC §9): the case reference, its kind, a due date and
 * a link to the console page; never an employee reporter's name.
 */
import i18next, { type TFunction } from "i18next";
import { and, asc, eq, gt, inArray, isNull, lte, max, or } from "drizzle-orm";
import {
  auditLog,
  concerns,
  OPEN_CONCERN_PREDICATE,
  outboxEmails,
  staffNotificationChoices,
  staffNotificationCursors,
  staffNotifications,
  staffUsers,
} from "../../db/schema";
import type { Db } from "../utils/db.server";
import { env } from "../utils/env.server";
import { formatDate } from "../utils/format.server";
import { DEFAULT_LANG, isStaffLang, STAFF_LANGUAGES } from "../utils/languages";
import { readLocaleResources } from "../utils/locale-files.server";
import { appendAudit } from "./audit.server";
import { skipLocked } from "./delivery-worker.server";
import type { StaffRole } from "./permissions";
import { isStaffNotificationKind, ROLE_NOTIFICATIONS, STAFF_NOTIFICATION_KINDS, type StaffNotificationKind } from "./staff-notification-kinds";
import { companyTimeZone, getSetting } from "./settings.server";
import { EXPIRY_WARNING_DAYS, expiringTrainings } from "./trainings.server";
import { auditsDue } from "./audits.server";
import { openMonitoringAlerts } from "./monitoring.server";

export { isStaffNotificationKind, ROLE_NOTIFICATIONS, STAFF_NOTIFICATION_KINDS, type StaffNotificationKind };

const SUPERVISORS: readonly StaffRole[] = ["supervisor", "admin"];

/** How long before a case's due date its assignee (or the supervisors) is warned. */
export const DEADLINE_WARNING_MS = 24 * 60 * 60 * 1000;
/** A new row is read once it is this old: a transaction that took an id earlier has committed by then. */
export const SETTLE_MS = 60_000;
/** Subjects (cases, audit entries) read per source and batch. */
export const BATCH_SIZE = 200;

const roleOf = (role: string): StaffRole => (role === "admin" || role === "supervisor" ? role : "agent");

// ── Choices (/staff/account/notifications) ─────────────────────────────────

export interface NotificationChoice {
  kind: StaffNotificationKind;
  enabled: boolean;
  /** True while the person has not chosen: the role's default applies. */
  isDefault: boolean;
}

/**
 * The kinds a staff member may receive (their role's), each with whether they get it: their own
 * choice, else the role's default (ROLE_NOTIFICATIONS). Async.
 */
export async function notificationChoices(db: Db, staff: { id: number; role: string }): Promise<NotificationChoice[]> {
  const rows = await db
    .select({ kind: staffNotificationChoices.kind, enabled: staffNotificationChoices.enabled })
    .from(staffNotificationChoices)
    .where(eq(staffNotificationChoices.staffId, staff.id));
  const chosen = new Map(rows.map((row) => [row.kind, row.enabled]));
  const { available, defaults } = ROLE_NOTIFICATIONS[roleOf(staff.role)];
  return available.map((kind) => {
    const own = chosen.get(kind);
    return { kind, enabled: own ?? defaults.includes(kind), isDefault: own === undefined };
  });
}

/**
 * Saves a staff member's choices (SPEC §12 "Each staff member chooses which they get"): every kind
 * of their role is stored on or off (`enabled` lists those on; kinds outside the role are ignored),
 * with an audit entry (staff.notifications_changed, the kinds on as codes), in one transaction.
 * Resolves to true when something changed.
 */
export async function saveNotificationChoices(
  db: Db,
  staff: { id: number; role: string },
  enabled: readonly string[],
  now: number = Date.now(),
): Promise<boolean> {
  const { available } = ROLE_NOTIFICATIONS[roleOf(staff.role)];
  return db.transaction(async (tx) => {
    const before = await notificationChoices(tx, staff);
    const next = available.map((kind) => ({ kind, enabled: enabled.includes(kind) }));
    const changed = next.some((choice, i) => before[i]!.isDefault || before[i]!.enabled !== choice.enabled);
    if (!changed) return false;
    for (const choice of next) {
      await tx
        .insert(staffNotificationChoices)
        .values({ staffId: staff.id, kind: choice.kind, enabled: choice.enabled, updatedAt: now })
        .onConflictDoUpdate({ target: [staffNotificationChoices.staffId, staffNotificationChoices.kind], set: { enabled: choice.enabled, updatedAt: now } });
    }
    await appendAudit(tx, {
      actor: { type: "staff", id: staff.id },
      action: "staff.notifications_changed",
      target: { type: "staff", id: staff.id },
      details: { enabled: next.filter((c) => c.enabled).map((c) => c.kind).join(",") },
      now,
    });
    return true;
  });
}

interface Recipient {
  id: number;
  email: string;
  name: string;
  locale: string;
}

/**
 * The active staff members who get `kind`: of `roles` (or exactly `ids`), whose role may receive
 * it, who chose it or have not chosen and get it by default. Async.
 */
async function recipientsOf(db: Db, kind: StaffNotificationKind, who: { roles: readonly StaffRole[] } | { ids: readonly number[] }): Promise<Recipient[]> {
  const scope = "roles" in who ? inArray(staffUsers.role, [...who.roles]) : inArray(staffUsers.id, [...who.ids]);
  if ("ids" in who && who.ids.length === 0) return [];
  const rows = await db
    .select({ id: staffUsers.id, email: staffUsers.email, name: staffUsers.name, locale: staffUsers.locale, role: staffUsers.role, enabled: staffNotificationChoices.enabled })
    .from(staffUsers)
    .leftJoin(staffNotificationChoices, and(eq(staffNotificationChoices.staffId, staffUsers.id), eq(staffNotificationChoices.kind, kind)))
    .where(and(scope, isNull(staffUsers.disabledAt)))
    .orderBy(asc(staffUsers.id));
  return rows
    .filter((row) => {
      const rules = ROLE_NOTIFICATIONS[roleOf(row.role)];
      return rules.available.includes(kind) && (row.enabled ?? rules.defaults.includes(kind));
    })
    .map(({ id, email, name, locale }) => ({ id, email, name, locale }));
}

// ── The emails ─────────────────────────────────────────────────────────────

let translator: typeof i18next | undefined;

/** The staff email texts (emails.staff) and the labels they name (common, monitoring), every language, read once. */
function t(lang: string): TFunction {
  if (!translator) {
    const resources = readLocaleResources(["emails", "common", "monitoring"], STAFF_LANGUAGES);
    translator = i18next.createInstance();
    void translator.init({ resources, fallbackLng: DEFAULT_LANG, defaultNS: "emails", interpolation: { escapeValue: false }, initAsync: false });
  }
  return translator.getFixedT(isStaffLang(lang) ? lang : DEFAULT_LANG);
}

/** What one notification says: the kind's text takes these values (never a customer's personal data). */
export interface NotificationFacts {
  /** Case reference (C-XXXX-XXXX). */
  ref?: string;
  /** Concern kind code (common:concernKinds). */
  concernKind?: string;
  /** A due date or expiry (ms). */
  at?: number;
  /** `at` is a calendar day (shown without a time). */
  day?: boolean;
  /** An AI system's or a course's name. */
  name?: string;
  /** A staff member's name (whose training ends). */
  person?: string;
  /** A monitoring alert: the metric's code, its value and threshold in the metric's unit. */
  metric?: { code: string; value: number; threshold: number };
  /** Console path the email links to, e.g. /staff/concerns/C-1234-5678. */
  path: string;
}

/**
 * Queues one staff email once: the `staff_notifications` row (staff, kind, subject) with its unique
 * key, and only if that row is new, the outbox row in the recipient's language, in the caller's
 * transaction. Resolves to true when an email was queued.
 */
async function notifyOnce(tx: Db, recipient: Recipient, kind: StaffNotificationKind, subject: string, facts: NotificationFacts, now: number): Promise<boolean> {
  const [claimed] = await tx
    .insert(staffNotifications)
    .values({ staffId: recipient.id, kind, subject, createdAt: now })
    .onConflictDoNothing()
    .returning({ id: staffNotifications.id });
  if (!claimed) return false;
  // Staff read the console's languages only: an account language outside them gets English, as the console does.
  const lang = isStaffLang(recipient.locale) ? recipient.locale : DEFAULT_LANG;
  const tr = t(lang);
  const company = await getSetting(tx, "companyName");
  const base = env().PUBLIC_URL;
  const values = {
    ref: facts.ref ?? "",
    kind: facts.concernKind ? tr(`common:concernKinds.${facts.concernKind}`, { defaultValue: facts.concernKind }) : "",
    date: facts.at === undefined ? "" : formatDate(facts.at, lang, facts.day ? "date" : "dateTimeZone", companyTimeZone()),
    name: facts.name ?? "",
    person: facts.person ?? "",
    metric: facts.metric ? tr(`monitoring:metrics.${facts.metric.code}`, { defaultValue: facts.metric.code }) : "",
    value: facts.metric ? new Intl.NumberFormat(lang, { maximumFractionDigits: 2 }).format(facts.metric.value) : "",
    threshold: facts.metric ? new Intl.NumberFormat(lang, { maximumFractionDigits: 2 }).format(facts.metric.threshold) : "",
  };
  const body = [
    tr("staff.greeting", { name: recipient.name }),
    "",
    tr(`staff.${kind}.body`, values),
    "",
    tr("staff.open"),
    `${base}${facts.path}`,
    "",
    "—",
    tr("staff.footer", { company }),
    `${base}/staff/account/notifications`,
  ].join("\n");
  const [email] = await tx
    .insert(outboxEmails)
    .values({
      concernId: null,
      toAddress: recipient.email,
      lang,
      template: `staff_${kind}`,
      subject: tr(`staff.${kind}.subject`, values),
      bodyText: body,
      nextAttemptAt: now,
      createdAt: now,
    })
    .returning({ id: outboxEmails.id });
  await tx.update(staffNotifications).set({ outboxEmailId: email!.id }).where(eq(staffNotifications.id, claimed.id));
  return true;
}

async function notifyAll(tx: Db, recipients: readonly Recipient[], kind: StaffNotificationKind, subject: string, facts: NotificationFacts, now: number): Promise<number> {
  let queued = 0;
  for (const recipient of recipients) if (await notifyOnce(tx, recipient, kind, subject, facts, now)) queued++;
  return queued;
}

const casePath = (ref: string) => `/staff/concerns/${encodeURIComponent(ref)}`;

// ── Cursors ────────────────────────────────────────────────────────────────

interface Cursor {
  /** A time (ms) the source has been scanned up to. */
  at: number;
  /** The last id scanned (with `at`, a tie-breaker for rows of the same time). */
  lastId: number;
}

/**
 * Runs one batch of a source in one transaction holding its cursor row: the first time, only
 * records `start()` as the cursor (nothing is sent for what happened before); a cursor another
 * instance holds is skipped (its worker is scanning). `scan` returns the next cursor and how many
 * emails it queued.
 */
async function withCursor(
  db: Db,
  source: string,
  now: number,
  start: (tx: Db) => Promise<Cursor>,
  scan: (tx: Db, cursor: Cursor) => Promise<{ next: Cursor; queued: number }>,
): Promise<number> {
  return db.transaction(async (tx) => {
    const [known] = await tx.select({ source: staffNotificationCursors.source }).from(staffNotificationCursors).where(eq(staffNotificationCursors.source, source)).limit(1);
    if (!known) {
      const first = await start(tx);
      await tx.insert(staffNotificationCursors).values({ source, at: first.at, lastId: first.lastId, updatedAt: now }).onConflictDoNothing();
      return 0;
    }
    const [cursor] = await skipLocked(
      tx,
      tx.select({ at: staffNotificationCursors.at, lastId: staffNotificationCursors.lastId }).from(staffNotificationCursors).where(eq(staffNotificationCursors.source, source)).limit(1),
    );
    if (!cursor) return 0;
    const { next, queued } = await scan(tx, cursor);
    if (next.at !== cursor.at || next.lastId !== cursor.lastId) {
      await tx.update(staffNotificationCursors).set({ at: next.at, lastId: next.lastId, updatedAt: now }).where(eq(staffNotificationCursors.source, source));
    }
    return queued;
  });
}

// ── Sources ────────────────────────────────────────────────────────────────

/** (a) New concerns (origin customer) and employee reports (origin employee), by id, once settled. */
async function scanNewConcerns(db: Db, now: number): Promise<number> {
  return withCursor(
    db,
    "concerns",
    now,
    async (tx) => {
      const [row] = await tx.select({ id: max(concerns.id) }).from(concerns).limit(1);
      return { at: now, lastId: Number(row?.id ?? 0) };
    },
    async (tx, cursor) => {
      const rows = await tx
        .select({ id: concerns.id, ref: concerns.ref, kind: concerns.kind, origin: concerns.origin, createdAt: concerns.createdAt })
        .from(concerns)
        .where(gt(concerns.id, cursor.lastId))
        .orderBy(asc(concerns.id))
        .limit(BATCH_SIZE);
      let queued = 0;
      let lastId = cursor.lastId;
      for (const row of rows) {
        if (row.createdAt > now - SETTLE_MS) break;
        lastId = row.id;
        const kind = row.origin === "employee" ? "employee_report" : row.origin === "customer" ? "new_concern" : null;
        if (!kind) continue;
        const recipients = await recipientsOf(tx, kind, { roles: ["agent", "supervisor", "admin"] });
        queued += await notifyAll(tx, recipients, kind, row.ref, { ref: row.ref, concernKind: row.kind, path: casePath(row.ref) }, now);
      }
      return { next: { at: now, lastId }, queued };
    },
  );
}

const AUDITED = ["concern.assigned", "concern.serious_incident_flagged", "breach.detected"];

/** (b) assignments, (d) serious-incident flags, (e) permission breaches: from the audit log, by id. */
async function scanAuditedEvents(db: Db, now: number): Promise<number> {
  return withCursor(
    db,
    "audit",
    now,
    async (tx) => {
      const [row] = await tx.select({ id: max(auditLog.id) }).from(auditLog).limit(1);
      return { at: now, lastId: Number(row?.id ?? 0) };
    },
    async (tx, cursor) => {
      const rows = await tx
        .select({ id: auditLog.id, action: auditLog.action, actorType: auditLog.actorType, actorId: auditLog.actorId, targetId: auditLog.targetId, details: auditLog.details })
        .from(auditLog)
        .where(gt(auditLog.id, cursor.lastId))
        .orderBy(asc(auditLog.id))
        .limit(BATCH_SIZE);
      let queued = 0;
      for (const row of rows) {
        if (!AUDITED.includes(row.action)) continue;
        const details = parseDetails(row.details);
        if (row.action === "concern.assigned" && row.targetId) {
          const to = Number(details.to);
          // Taking a case oneself is no news to oneself.
          if (!Number.isSafeInteger(to) || (row.actorType === "staff" && row.actorId === String(to))) continue;
          const concern = await caseByRef(tx, row.targetId);
          if (!concern) continue;
          const recipients = await recipientsOf(tx, "assigned", { ids: [to] });
          queued += await notifyAll(tx, recipients, "assigned", `${row.targetId}:${row.id}`, { ref: concern.ref, concernKind: concern.kind, path: casePath(concern.ref) }, now);
        }
        if (row.action === "concern.serious_incident_flagged" && row.targetId) {
          const concern = await caseByRef(tx, row.targetId);
          if (!concern) continue;
          // The one who raised the flag knows.
          const recipients = (await recipientsOf(tx, "serious_incident", { roles: SUPERVISORS })).filter((r) => !(row.actorType === "staff" && row.actorId === String(r.id)));
          queued += await notifyAll(tx, recipients, "serious_incident", `${row.targetId}:${row.id}`, { ref: concern.ref, concernKind: concern.kind, path: casePath(concern.ref) }, now);
        }
        if (row.action === "breach.detected" && typeof details.concern === "string") {
          const recipients = await recipientsOf(tx, "breach", { roles: SUPERVISORS });
          const subject = String(details.breachId ?? row.id);
          queued += await notifyAll(tx, recipients, "breach", subject, { ref: details.concern, name: typeof details.aiSystem === "string" ? details.aiSystem : "", path: casePath(details.concern) }, now);
        }
      }
      const lastId = rows.at(-1)?.id ?? cursor.lastId;
      return { next: { at: now, lastId }, queued };
    },
  );
}

function parseDetails(text: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === "object" && value !== null ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

async function caseByRef(db: Db, ref: string) {
  const [row] = await db.select({ ref: concerns.ref, kind: concerns.kind }).from(concerns).where(eq(concerns.ref, ref)).limit(1);
  return row;
}

/**
 * (c) Deadlines of open cases: "soon" when `due_at - DEADLINE_WARNING_MS`, "passed" when `due_at`
 * itself falls into the time scanned since the last batch; to the assignee, else to the
 * supervisors and admins. The cursor is kept in due-date space, (due_at, id), so a batch cut at
 * BATCH_SIZE continues where it stopped. The subject carries the due date: a moved deadline is
 * announced again.
 */
async function scanDeadlines(db: Db, now: number, which: "soon" | "passed"): Promise<number> {
  const kind = which === "soon" ? "deadline_soon" : "deadline_passed";
  const horizon = which === "soon" ? now + DEADLINE_WARNING_MS : now;
  return withCursor(
    db,
    kind,
    now,
    async () => ({ at: horizon, lastId: 0 }),
    async (tx, cursor) => {
      const rows = await tx
        .select({ id: concerns.id, ref: concerns.ref, kind: concerns.kind, dueAt: concerns.dueAt, assigneeId: concerns.assigneeId })
        .from(concerns)
        .where(
          and(
            OPEN_CONCERN_PREDICATE,
            or(gt(concerns.dueAt, cursor.at), and(eq(concerns.dueAt, cursor.at), gt(concerns.id, cursor.lastId))),
            lte(concerns.dueAt, horizon),
          ),
        )
        .orderBy(asc(concerns.dueAt), asc(concerns.createdAt), asc(concerns.id))
        .limit(BATCH_SIZE);
      let queued = 0;
      for (const row of rows) {
        const recipients = row.assigneeId === null ? await recipientsOf(tx, kind, { roles: SUPERVISORS }) : await recipientsOf(tx, kind, { ids: [row.assigneeId] });
        queued += await notifyAll(tx, recipients, kind, `${row.ref}:${row.dueAt}`, { ref: row.ref, concernKind: row.kind, at: row.dueAt, path: casePath(row.ref) }, now);
      }
      const last = rows.at(-1);
      const next = rows.length === BATCH_SIZE && last ? { at: last.dueAt, lastId: last.id } : { at: horizon, lastId: Number.MAX_SAFE_INTEGER };
      return { next, queued };
    },
  );
}

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * (g) A training about to expire (AI Act Art. 4): when its end comes within EXPIRY_WARNING_DAYS
 * days (the moment `validUntil - warning` falls into the time scanned since the last batch), to the
 * staff member and to the admins. A training recorded already inside its last days gets no email:
 * the admin recording it sees its end.
 */
async function scanTrainings(db: Db, now: number): Promise<number> {
  const warning = EXPIRY_WARNING_DAYS * DAY_MS;
  return withCursor(
    db,
    "trainings",
    now,
    async () => ({ at: now, lastId: 0 }),
    async (tx, cursor) => {
      const expiring = (await expiringTrainings(tx, now, warning)).filter((t) => !t.expired && t.validUntil - warning > cursor.at && t.validUntil - warning <= now);
      let queued = 0;
      for (const training of expiring.slice(0, BATCH_SIZE)) {
        const own = await recipientsOf(tx, "training_expiring", { ids: [training.staffId] });
        const admins = (await recipientsOf(tx, "training_expiring", { roles: ["admin"] })).filter((r) => r.id !== training.staffId);
        queued += await notifyAll(tx, [...own, ...admins], "training_expiring", `${training.staffId}:${training.course}:${training.validUntil}`, {
          name: training.course,
          person: training.staffName,
          // The last day it counts: validUntil is the start of the day after it.
          at: training.validUntil - 1,
          day: true,
          path: "/staff/trainings",
        }, now);
      }
      return { next: { at: now, lastId: 0 }, queued };
    },
  );
}

/**
 * (f) An overdue audit of an AI system: when its due day ends (the start of that day plus a day
 * falls into the time scanned since the last batch), to the supervisors and admins. An interval
 * shortened so that an audit is long overdue at once gives no email: the editor sees it.
 */
async function scanAudits(db: Db, now: number): Promise<number> {
  return withCursor(
    db,
    "audits",
    now,
    async () => ({ at: now, lastId: 0 }),
    async (tx, cursor) => {
      const overdue = (await auditsDue(tx, now, 0)).filter((a) => a.overdue && a.nextDueAt + DAY_MS > cursor.at);
      let queued = 0;
      for (const audit of overdue.slice(0, BATCH_SIZE)) {
        const recipients = await recipientsOf(tx, "audit_overdue", { roles: SUPERVISORS });
        queued += await notifyAll(tx, recipients, "audit_overdue", `${audit.systemId}:${audit.nextDueAt}`, {
          name: audit.name,
          at: audit.nextDueAt,
          day: true,
          path: `/staff/ai-systems/${encodeURIComponent(audit.slug)}/audits`,
        }, now);
      }
      return { next: { at: now, lastId: 0 }, queued };
    },
  );
}

/**
 * (h) A monitoring alert (AI Act Art. 26(5), 72), to the supervisors and admins: every open alert
 * raised since the last batch (and in the SETTLE_MS before it, for a raise that committed late).
 */
async function scanMonitoringAlerts(db: Db, now: number): Promise<number> {
  return withCursor(
    db,
    "monitoring",
    now,
    async () => ({ at: now, lastId: 0 }),
    async (tx, cursor) => {
      const raised = (await openMonitoringAlerts(tx)).filter((a) => a.raisedAt > cursor.at - SETTLE_MS);
      let queued = 0;
      for (const alert of raised.slice(0, BATCH_SIZE)) {
        const recipients = await recipientsOf(tx, "monitoring_alert", { roles: SUPERVISORS });
        queued += await notifyAll(tx, recipients, "monitoring_alert", String(alert.id), {
          name: alert.systemName,
          at: alert.weekStart,
          day: true,
          metric: { code: alert.metric, value: alert.value, threshold: alert.threshold },
          path: "/staff/monitoring",
        }, now);
      }
      return { next: { at: now, lastId: 0 }, queued };
    },
  );
}

/**
 * One bounded batch of staff notifications (SPEC §12 "Staff are told"), for the worker's tick:
 * scans every source from its cursor (see the module's comment) and queues each email once in the
 * recipient's language. Safe to run from several instances at once. `now` in ms. Resolves to the
 * number of emails queued.
 */
export async function queueStaffNotifications(db: Db, now: number): Promise<number> {
  let queued = 0;
  queued += await scanNewConcerns(db, now);
  queued += await scanAuditedEvents(db, now);
  queued += await scanDeadlines(db, now, "soon");
  queued += await scanDeadlines(db, now, "passed");
  queued += await scanTrainings(db, now);
  queued += await scanAudits(db, now);
  queued += await scanMonitoringAlerts(db, now);
  return queued;
}
