/**
 * How a concern moves once it is filed (SPEC §4 "Queue" and "Case"): the status machine, the
 * deadlines (SLA with its pause, statutory due date, serious-incident reporting clock), and every
 * staff action — claim, assign, priority, kind, serious-incident flag, status change, replies and
 * internal notes, bulk actions — each checked against the staff member's role and the case's
 * revision, and audited in the same IMMEDIATE transaction as the change. Also the queue listing,
 * the case view and the canned replies.
 *
 * The change primitives (changeConcern, touch, moveTo) live here too; concerns.server.ts
 * (filing and the customer's side) builds on them and re-exports them.
 */
import { and, asc, count, desc, eq, inArray, isNull, ne, or, sql, type SQL } from "drizzle-orm";
import {
  auditLog,
  cannedReplies,
  concernEvents,
  concernMessages,
  concerns,
  interactions,
  staffUsers,
} from "../../db/schema";
import type { SyncDb } from "../utils/db.server";
import { fitsLength, normaliseLineBreaks, searchKey, truncateText } from "../utils/text";
import { aiSystemNames } from "./ai-register.server";
import { appendAudit, type AuditActor } from "./audit.server";
import { enqueueWebhookEvent } from "./webhooks.server";
import { queueConcernEmail } from "./notifications.server";
import { can, type Permission } from "./permissions";
import { getPreferences, listChoices } from "./preferences.server";
import { endOfDayDaysLater } from "../utils/calendar";
import { companyTimeZone, getSetting, statutoryDueDate } from "./settings.server";
import { CONCERN_KINDS, isOpen, REPLY_MAX, type ConcernKind } from "./vocabulary";
import {
  BULK_STATUSES,
  CANNED_KEY_PATTERN,
  CANNED_TITLE_MAX,
  CONCERN_STATUSES,
  OUTCOME_CODES,
  OUTCOME_REASON_MAX,
  PRIORITIES,
  QUEUE_PAGE_SIZE,
  QUEUE_SEARCH_MAX,
  type ConcernStatus,
  type OutcomeCode,
  type Priority,
} from "./vocabulary";

export {
  BULK_STATUSES,
  CANNED_KEY_PATTERN,
  CANNED_TITLE_MAX,
  CONCERN_STATUSES,
  OUTCOME_CODES,
  OUTCOME_REASON_MAX,
  PRIORITIES,
  QUEUE_PAGE_SIZE,
  QUEUE_SEARCH_MAX,
  type ConcernStatus,
  type OutcomeCode,
  type Priority,
};

export type Concern = typeof concerns.$inferSelect;

// SLA targets are elapsed hours (see SETTING_DEFAULTS); calendar periods go through utils/calendar.
const HOUR_MS = 60 * 60 * 1000;

// ── Vocabulary ─────────────────────────────────────────────────────────────
export const isConcernStatus = (value: unknown): value is ConcernStatus =>
  typeof value === "string" && (CONCERN_STATUSES as readonly string[]).includes(value);

/** Kinds that exercise a legal right (GDPR Art. 15/21/22, AI Act Art. 86): one-month statutory deadline. */
export const RIGHTS_BASED_KINDS: readonly ConcernKind[] = ["explanation", "human_review", "privacy"];

/** AI Act Art. 73(2): a serious incident is reported within 15 days of becoming aware of it. */
export const SERIOUS_INCIDENT_REPORT_DAYS = 15;

/**
 * The status machine: from each status, where staff may move a concern. The main path is
 * new → in progress → waiting on the customer / a third party → escalated → resolved → closed;
 * a case can skip ahead (a quick answer resolves a new concern; a question to the customer can
 * be the first step) but never back to "new", never to "closed" without a resolution, and never
 * out of a side state (merged, withdrawn) — except that a wrongly marked spam can be restored.
 * "resolved → in progress" is staff reopening a case; customers reopen through reopenConcern.
 */
// "withdrawn" is the customer's own decision (withdrawConcern), never a staff move.
const SIDE_STATES = ["merged", "spam"] as const;
export const STATUS_TRANSITIONS: Readonly<Record<ConcernStatus, readonly ConcernStatus[]>> = {
  new: ["in_progress", "waiting_customer", "resolved", ...SIDE_STATES],
  in_progress: ["waiting_customer", "waiting_third_party", "escalated", "resolved", ...SIDE_STATES],
  waiting_customer: ["in_progress", "waiting_third_party", "escalated", "resolved", ...SIDE_STATES],
  waiting_third_party: ["in_progress", "waiting_customer", "escalated", "resolved", ...SIDE_STATES],
  escalated: ["in_progress", "waiting_customer", "waiting_third_party", "resolved", ...SIDE_STATES],
  resolved: ["closed", "in_progress"],
  closed: [],
  merged: [],
  withdrawn: [],
  spam: ["new"],
};

export function canTransition(from: string, to: string): boolean {
  return isConcernStatus(from) && isConcernStatus(to) && STATUS_TRANSITIONS[from].includes(to);
}

export function allowedTransitions(from: string): readonly ConcernStatus[] {
  return isConcernStatus(from) ? STATUS_TRANSITIONS[from] : [];
}

/**
 * A refused change. `message` is a code (the route translates it as `queue:errors.<code>`):
 * not_found, stale, forbidden, illegal_transition, needs_outcome, needs_merge_target,
 * unknown_merge_target, unknown_assignee, already_yours, no_reply, closed, gone, …
 */
export class ConcernStateError extends Error {
  get code(): string {
    return this.message;
  }
}

// ── Deadlines ──────────────────────────────────────────────────────────────
/** The SLA due time as it stands at `now`: a paused clock moves the due time along with it. */
export function effectiveSlaDueAt(concern: Pick<Concern, "slaDueAt" | "slaPausedAt">, now: number): number | null {
  if (concern.slaDueAt === null) return null;
  return concern.slaPausedAt !== null ? concern.slaDueAt + Math.max(0, now - concern.slaPausedAt) : concern.slaDueAt;
}

/**
 * When a flagged serious incident must be reported (AI Act Art. 73(2), 15 days): the end (23:59:59.999
 * local) of the 15th calendar day after the day the flag was raised, on the company's calendar
 * (`timeZone`). Null when not flagged. Epoch ms.
 */
export function incidentReportDueAt(concern: Pick<Concern, "seriousIncident" | "seriousIncidentAt">, timeZone = companyTimeZone()): number | null {
  return concern.seriousIncident && concern.seriousIncidentAt !== null ? endOfDayDaysLater(concern.seriousIncidentAt, SERIOUS_INCIDENT_REPORT_DAYS, timeZone) : null;
}

export interface Deadlines {
  /** "first_response" until staff first answer publicly, then "resolution". */
  slaTarget: "first_response" | "resolution";
  slaDueAt: number | null;
  slaPausedSince: number | null;
  statutoryDueAt: number | null;
  incidentReportDueAt: number | null;
  overdue: { sla: boolean; statutory: boolean; incident: boolean };
}

export function deadlines(concern: Concern, now: number): Deadlines {
  const open = isOpen(concern.status);
  const sla = effectiveSlaDueAt(concern, now);
  const incident = incidentReportDueAt(concern);
  return {
    slaTarget: concern.firstResponseAt === null ? "first_response" : "resolution",
    slaDueAt: sla,
    slaPausedSince: concern.slaPausedAt,
    statutoryDueAt: concern.statutoryDueAt,
    incidentReportDueAt: incident,
    overdue: {
      sla: open && sla !== null && now > sla,
      statutory: open && concern.statutoryDueAt !== null && now > concern.statutoryDueAt,
      incident: incident !== null && now > incident,
    },
  };
}

/** An open concern past its SLA or statutory due date at `now` (a paused SLA does not run). */
export function isOverdue(concern: Concern, now = Date.now()): boolean {
  const { overdue } = deadlines(concern, now);
  return overdue.sla || overdue.statutory;
}

/** Time spent in "waiting on customer" in completed stretches (the running one is not counted). */
function completedPauses(db: SyncDb, concernId: number): number {
  const events = db
    .select({ from: concernEvents.fromStatus, to: concernEvents.toStatus, at: concernEvents.createdAt })
    .from(concernEvents)
    .where(eq(concernEvents.concernId, concernId))
    .orderBy(asc(concernEvents.createdAt), asc(concernEvents.id))
    .all();
  let total = 0;
  let since: number | null = null;
  for (const e of events) {
    if (e.to === "waiting_customer" && e.from !== "waiting_customer") since = e.at;
    else if (e.from === "waiting_customer" && e.to !== "waiting_customer" && since !== null) {
      total += e.at - since;
      since = null;
    }
  }
  return total;
}

// ── Change primitives ──────────────────────────────────────────────────────
/**
 * Runs a change on the concern as it is *now*: re-read inside an IMMEDIATE transaction, so two
 * submissions at once (two tabs, a double click, a staff member) never act on a stale copy.
 */
export function changeConcern<T>(db: SyncDb, concernId: number, change: (tx: SyncDb, current: Concern) => T): T {
  return db.transaction(
    (tx) => {
      const current = tx.select().from(concerns).where(eq(concerns.id, concernId)).get();
      if (!current) throw new ConcernStateError("gone");
      return change(tx, current);
    },
    { behavior: "immediate" },
  );
}

/** Records that the concern changed: a new revision (two editors never overwrite each other silently). */
export function touch(db: SyncDb, concern: Concern, now: number, extra: Partial<Concern> = {}) {
  db.update(concerns).set({ updatedAt: now, revision: concern.revision + 1, ...extra }).where(eq(concerns.id, concern.id)).run();
}

/**
 * A status change with its event. Entering "waiting on customer" pauses the SLA; leaving it
 * pushes the SLA due time later by the paused time. (No transition check here: customers'
 * own moves — reply, withdraw, reopen — use it directly; staff go through applyStatusChange.)
 */
export function moveTo(
  db: SyncDb,
  concern: Concern,
  to: ConcernStatus,
  actor: "customer" | "staff" | "system",
  now: number,
  extra: Partial<Concern> = {},
  staffId: number | null = null,
) {
  const clock: Partial<Concern> = {};
  if (to === "waiting_customer" && concern.status !== "waiting_customer") clock.slaPausedAt = now;
  if (concern.status === "waiting_customer" && to !== "waiting_customer" && concern.slaPausedAt !== null) {
    clock.slaPausedAt = null;
    if (concern.slaDueAt !== null) clock.slaDueAt = concern.slaDueAt + Math.max(0, now - concern.slaPausedAt);
  }
  touch(db, concern, now, { status: to, ...clock, ...extra });
  db.insert(concernEvents).values({ concernId: concern.id, fromStatus: concern.status, toStatus: to, actor, staffId, createdAt: now }).run();
  enqueueWebhookEvent(db, "concern.updated", { ref: concern.ref, change: "status", status: to, previousStatus: concern.status, kind: concern.kind }, now);
}

export interface StatusChangeInput {
  outcomeCode?: string | null;
  outcomeReason?: string | null;
  /** The reference of the concern this one duplicates (for "merged"). */
  mergeInto?: string | null;
  staffId?: number | null;
  now?: number;
}

/**
 * A staff status change inside an open transaction: checks the machine, the outcome a
 * resolution needs and the merge target, sets the timestamps, and queues the resolution email.
 * Returns the concern as it now is.
 */
export function applyStatusChange(tx: SyncDb, current: Concern, to: ConcernStatus, input: StatusChangeInput = {}): Concern {
  const now = input.now ?? Date.now();
  if (!canTransition(current.status, to)) throw new ConcernStateError("illegal_transition");
  const extra: Partial<Concern> = {};
  if (to === "resolved") {
    const reason = normaliseLineBreaks(input.outcomeReason ?? "").trim();
    if (!(OUTCOME_CODES as readonly string[]).includes(input.outcomeCode ?? "") || !reason || !fitsLength(reason, OUTCOME_REASON_MAX)) {
      throw new ConcernStateError("needs_outcome");
    }
    Object.assign(extra, { resolvedAt: now, outcomeCode: input.outcomeCode, outcomeReason: reason, closedAt: null });
  }
  if (to === "merged") {
    if (!input.mergeInto) throw new ConcernStateError("needs_merge_target");
    const target = tx.select().from(concerns).where(eq(concerns.ref, input.mergeInto)).get();
    if (!target || target.id === current.id || ["merged", "spam", "withdrawn"].includes(target.status)) {
      throw new ConcernStateError("unknown_merge_target");
    }
    Object.assign(extra, { mergedIntoId: target.id, closedAt: now });
  }
  if (to === "closed" || to === "withdrawn" || to === "spam") extra.closedAt = now;
  // Back to work (staff reopening a resolution, restoring a wrongly marked spam): a fresh
  // resolution SLA from now, so the case is not overdue the moment it reopens.
  if ((to === "in_progress" || to === "new") && ["resolved", "spam"].includes(current.status)) {
    Object.assign(extra, { closedAt: null, slaDueAt: now + getSetting(tx, "slaResolutionHours") * HOUR_MS, slaPausedAt: null });
  } else if (to === "in_progress" || to === "new") {
    extra.closedAt = null;
  }
  moveTo(tx, current, to, "staff", now, extra, input.staffId ?? null);
  const updated = tx.select().from(concerns).where(eq(concerns.id, current.id)).get()!;
  if (to === "resolved") queueConcernEmail(tx, updated, "concern_resolved", { now });
  return updated;
}

export interface StaffMessageInput {
  body: string;
  authorName: string;
  visibility: "public" | "internal";
  staffId?: number | null;
  now?: number;
}

/**
 * A staff reply (public: the customer sees it and is emailed if they chose email) or an internal
 * note, inside an open transaction. The first public reply records the first response and
 * switches the SLA to the resolution target, counted from filing (plus time spent waiting on
 * the customer). Returns the message id.
 */
export function applyStaffMessage(tx: SyncDb, current: Concern, input: StaffMessageInput): number {
  const now = input.now ?? Date.now();
  const body = normaliseLineBreaks(input.body).trim();
  if (!body || !fitsLength(body, REPLY_MAX)) throw new ConcernStateError("invalid_message");
  if (input.visibility === "public" && !(isOpen(current.status) || current.status === "resolved")) {
    throw new ConcernStateError("no_reply");
  }
  const { id } = tx
    .insert(concernMessages)
    .values({
      concernId: current.id,
      author: "staff",
      staffId: input.staffId ?? null,
      authorName: input.authorName,
      visibility: input.visibility,
      body,
      createdAt: now,
    })
    .returning({ id: concernMessages.id })
    .get();
  const extra: Partial<Concern> = {};
  if (input.visibility === "public" && current.firstResponseAt === null) {
    extra.firstResponseAt = now;
    extra.slaDueAt = current.createdAt + getSetting(tx, "slaResolutionHours") * HOUR_MS + completedPauses(tx, current.id);
  }
  touch(tx, current, now, extra);
  if (input.visibility === "public") {
    queueConcernEmail(tx, current, "concern_reply", { replyBody: body, now });
    enqueueWebhookEvent(tx, "concern.updated", { ref: current.ref, change: "reply", status: current.status, kind: current.kind, messageId: id }, now);
  }
  return id;
}

// ── Staff actions ──────────────────────────────────────────────────────────
export interface StaffActor {
  id: number;
  role: string;
  name: string;
}

export interface CaseOptions {
  /** The revision the staff member's form showed; a different current one is a 409 ("stale"). */
  expectedRevision?: number;
  now?: number;
}

function requirePermission(actor: StaffActor, permission: Permission) {
  if (!can(actor.role, permission)) throw new ConcernStateError("forbidden");
}

const staffAudit = (actor: StaffActor): AuditActor => ({ type: "staff", id: actor.id });

/** Loads the case by reference inside an IMMEDIATE transaction and checks its revision. */
function onCase<T>(db: SyncDb, ref: string, options: CaseOptions, change: (tx: SyncDb, current: Concern, now: number) => T): T {
  const now = options.now ?? Date.now();
  return db.transaction(
    (tx) => {
      const current = tx.select().from(concerns).where(eq(concerns.ref, ref)).get();
      if (!current) throw new ConcernStateError("not_found");
      if (options.expectedRevision !== undefined && current.revision !== options.expectedRevision) {
        throw new ConcernStateError("stale");
      }
      return change(tx, current, now);
    },
    { behavior: "immediate" },
  );
}

function activeStaff(db: SyncDb, id: number) {
  return db.select().from(staffUsers).where(and(eq(staffUsers.id, id), isNull(staffUsers.disabledAt))).get();
}

/** Takes the case: allowed to any agent when it is free; taking it from someone else needs concerns.assign. */
export function claimConcern(db: SyncDb, ref: string, actor: StaffActor, options: CaseOptions = {}): void {
  requirePermission(actor, "concerns.work");
  onCase(db, ref, options, (tx, current, now) => {
    if (current.assigneeId === actor.id) throw new ConcernStateError("already_yours");
    if (current.assigneeId !== null && !can(actor.role, "concerns.assign")) throw new ConcernStateError("forbidden");
    touch(tx, current, now, { assigneeId: actor.id });
    enqueueWebhookEvent(tx, "concern.updated", { ref: current.ref, change: "assignment", status: current.status, kind: current.kind, assigneeId: actor.id }, now);
    appendAudit(tx, {
      actor: staffAudit(actor),
      action: "concern.claimed",
      target: { type: "concern", id: current.ref },
      details: { from: current.assigneeId, to: actor.id },
      now,
    });
  });
}

function assignIn(tx: SyncDb, current: Concern, actor: StaffActor, assigneeId: number | null, now: number, bulk: boolean): boolean {
  if (assigneeId !== null && !activeStaff(tx, assigneeId)) throw new ConcernStateError("unknown_assignee");
  if (current.assigneeId === assigneeId) return false;
  touch(tx, current, now, { assigneeId });
  enqueueWebhookEvent(tx, "concern.updated", { ref: current.ref, change: "assignment", status: current.status, kind: current.kind, assigneeId }, now);
  appendAudit(tx, {
    actor: staffAudit(actor),
    action: assigneeId === null ? "concern.unassigned" : "concern.assigned",
    target: { type: "concern", id: current.ref },
    details: { from: current.assigneeId, to: assigneeId, ...(bulk ? { bulk: true } : {}) },
    now,
  });
  return true;
}

/** Assigns the case to a staff member, or unassigns it (null): supervisors and admins only. */
export function assignConcern(db: SyncDb, ref: string, actor: StaffActor, assigneeId: number | null, options: CaseOptions = {}): boolean {
  requirePermission(actor, "concerns.assign");
  return onCase(db, ref, options, (tx, current, now) => assignIn(tx, current, actor, assigneeId, now, false));
}

export function setPriority(db: SyncDb, ref: string, actor: StaffActor, priority: Priority, options: CaseOptions = {}): boolean {
  requirePermission(actor, "concerns.work");
  if (!(PRIORITIES as readonly string[]).includes(priority)) throw new ConcernStateError("invalid");
  return onCase(db, ref, options, (tx, current, now) => {
    if (current.priority === priority) return false;
    touch(tx, current, now, { priority });
    appendAudit(tx, {
      actor: staffAudit(actor),
      action: "concern.priority_changed",
      target: { type: "concern", id: current.ref },
      details: { from: current.priority, to: priority },
      now,
    });
    return true;
  });
}

/**
 * Reclassifies the case. Becoming a rights-based kind starts the statutory clock from filing;
 * leaving one stops it.
 */
export function setKind(db: SyncDb, ref: string, actor: StaffActor, kind: ConcernKind, options: CaseOptions = {}): boolean {
  requirePermission(actor, "concerns.work");
  if (!(CONCERN_KINDS as readonly string[]).includes(kind)) throw new ConcernStateError("invalid");
  return onCase(db, ref, options, (tx, current, now) => {
    if (current.kind === kind) return false;
    const rightsBased = RIGHTS_BASED_KINDS.includes(kind);
    const statutoryDueAt = rightsBased
      ? (current.statutoryDueAt ?? statutoryDueDate(tx, current.createdAt))
      : null;
    touch(tx, current, now, { kind, statutoryDueAt });
    appendAudit(tx, {
      actor: staffAudit(actor),
      action: "concern.kind_changed",
      target: { type: "concern", id: current.ref },
      details: { from: current.kind, to: kind },
      now,
    });
    return true;
  });
}

/** Raises (starting the Art. 73 reporting clock) or clears the serious-incident flag: supervisors and admins only. */
export function setSeriousIncident(db: SyncDb, ref: string, actor: StaffActor, flagged: boolean, options: CaseOptions = {}): boolean {
  requirePermission(actor, "concerns.assign");
  return onCase(db, ref, options, (tx, current, now) => {
    if (current.seriousIncident === flagged) return false;
    touch(tx, current, now, { seriousIncident: flagged, seriousIncidentAt: flagged ? now : null });
    appendAudit(tx, {
      actor: staffAudit(actor),
      action: flagged ? "concern.serious_incident_flagged" : "concern.serious_incident_cleared",
      target: { type: "concern", id: current.ref },
      details: flagged ? { reportDueDays: SERIOUS_INCIDENT_REPORT_DAYS } : {},
      now,
    });
    return true;
  });
}

export function changeStatus(
  db: SyncDb,
  ref: string,
  actor: StaffActor,
  input: { to: ConcernStatus; outcomeCode?: string | null; outcomeReason?: string | null; mergeInto?: string | null },
  options: CaseOptions = {},
): void {
  requirePermission(actor, "concerns.work");
  onCase(db, ref, options, (tx, current, now) => {
    const updated = applyStatusChange(tx, current, input.to, { ...input, staffId: actor.id, now });
    appendAudit(tx, {
      actor: staffAudit(actor),
      action: "concern.status_changed",
      target: { type: "concern", id: current.ref },
      details: {
        from: current.status,
        to: input.to,
        ...(input.to === "resolved" ? { outcome: updated.outcomeCode } : {}),
        ...(input.to === "merged" ? { mergedInto: input.mergeInto ?? null } : {}),
      },
      now,
    });
  });
}

/** A reply to the customer (emailed if they chose email) or an internal note. Returns the message id. */
export function postStaffMessage(
  db: SyncDb,
  ref: string,
  actor: StaffActor,
  input: { body: string; visibility: "public" | "internal" },
  options: CaseOptions = {},
): number {
  requirePermission(actor, "concerns.work");
  return onCase(db, ref, options, (tx, current, now) => {
    const id = applyStaffMessage(tx, current, { ...input, authorName: actor.name, staffId: actor.id, now });
    appendAudit(tx, {
      actor: staffAudit(actor),
      action: input.visibility === "public" ? "concern.replied" : "concern.note_added",
      target: { type: "concern", id: current.ref },
      details: { messageId: id },
      now,
    });
    return id;
  });
}

export type BulkAction = { type: "assign"; assigneeId: number | null } | { type: "status"; to: ConcernStatus } | { type: "spam" };
export interface BulkResult {
  applied: string[];
  unchanged: string[];
  rejected: { ref: string; reason: string }[];
}

/**
 * Applies one action to many cases in one IMMEDIATE transaction, each change audited. Every case
 * is checked against its current state; the ones the action cannot apply to are left untouched
 * and reported with the reason — never skipped silently.
 */
export function bulkUpdate(db: SyncDb, refs: readonly string[], actor: StaffActor, action: BulkAction, now = Date.now()): BulkResult {
  requirePermission(actor, action.type === "assign" ? "concerns.assign" : "concerns.work");
  if (action.type === "status" && !(BULK_STATUSES as readonly string[]).includes(action.to)) {
    throw new ConcernStateError("not_in_bulk");
  }
  const result: BulkResult = { applied: [], unchanged: [], rejected: [] };
  db.transaction(
    (tx) => {
      for (const ref of [...new Set(refs)]) {
        const current = tx.select().from(concerns).where(eq(concerns.ref, ref)).get();
        if (!current) {
          result.rejected.push({ ref, reason: "not_found" });
          continue;
        }
        try {
          // A savepoint per case: a refused case leaves nothing behind.
          const changed = tx.transaction((item) => {
            if (action.type === "assign") return assignIn(item, current, actor, action.assigneeId, now, true);
            const to: ConcernStatus = action.type === "spam" ? "spam" : action.to;
            if (current.status === to) return false;
            applyStatusChange(item, current, to, { staffId: actor.id, now });
            appendAudit(item, {
              actor: staffAudit(actor),
              action: "concern.status_changed",
              target: { type: "concern", id: current.ref },
              details: { from: current.status, to, bulk: true },
              now,
            });
            return true;
          });
          (changed ? result.applied : result.unchanged).push(ref);
        } catch (error) {
          if (!(error instanceof ConcernStateError)) throw error;
          result.rejected.push({ ref, reason: error.code });
        }
      }
    },
    { behavior: "immediate" },
  );
  return result;
}

// ── The queue ──────────────────────────────────────────────────────────────
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
function dueSql(now: number): SQL {
  return sql`min(coalesce(${effectiveSlaSql(now)}, ${FAR_FUTURE}), coalesce(${concerns.statutoryDueAt}, ${FAR_FUTURE}))`;
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
  const key = q ? searchKey(q) : "";
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
  excerpt: string;
  createdAt: number;
  dueAt: number | null;
  overdue: boolean;
}

export function listQueue(db: SyncDb, filters: QueueFilters, viewer: { id: number }, lang: string, now = Date.now()) {
  const where = queueConditions(filters, viewer.id, now, true);
  const whereSql = where.length ? and(...where) : undefined;
  const total = db.select({ n: count() }).from(concerns).where(whereSql).get()?.n ?? 0;
  const pageCount = Math.max(1, Math.ceil(total / QUEUE_PAGE_SIZE));
  const page = Math.min(Math.max(1, filters.page), pageCount);
  const due = dueSql(now);
  const order = filters.sort === "created" ? [desc(concerns.createdAt), desc(concerns.id)] : [asc(due), asc(concerns.createdAt), asc(concerns.id)];
  const rows = db
    .select({ concern: concerns, due: sql<number>`${due}`, overdue: sql<number>`(${overdueSql(now)})` })
    .from(concerns)
    .where(whereSql)
    .orderBy(...order)
    .limit(QUEUE_PAGE_SIZE)
    .offset((page - 1) * QUEUE_PAGE_SIZE)
    .all();
  // Counts per status under the other filters: each status link shows what choosing it would give.
  const others = queueConditions(filters, viewer.id, now, false);
  const perStatus = db
    .select({ status: concerns.status, n: count() })
    .from(concerns)
    .where(others.length ? and(...others) : undefined)
    .groupBy(concerns.status)
    .all();
  const counts = Object.fromEntries(CONCERN_STATUSES.map((s) => [s, perStatus.find((p) => p.status === s)?.n ?? 0])) as Record<ConcernStatus, number>;
  const systems = aiSystemNames(db, lang);
  const staff = new Map(db.select({ id: staffUsers.id, name: staffUsers.name }).from(staffUsers).all().map((s) => [s.id, s]));
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
      excerpt: truncateText(c.description, 140),
      createdAt: c.createdAt,
      dueAt: dueAt >= FAR_FUTURE ? null : dueAt,
      overdue: Boolean(overdue),
    })),
  };
}

/** Active staff members, for the assignee filters and assignment forms. */
export function assignableStaff(db: SyncDb) {
  return db
    .select({ id: staffUsers.id, name: staffUsers.name, role: staffUsers.role })
    .from(staffUsers)
    .where(isNull(staffUsers.disabledAt))
    .orderBy(asc(staffUsers.name))
    .all();
}

// ── The case ───────────────────────────────────────────────────────────────
/** Audit actions shown on a case's timeline (status changes and messages come from their own tables). */
const TIMELINE_AUDIT_ACTIONS = [
  "concern.claimed",
  "concern.assigned",
  "concern.unassigned",
  "concern.priority_changed",
  "concern.kind_changed",
  "concern.serious_incident_flagged",
  "concern.serious_incident_cleared",
];

export type TimelineEntry =
  | { type: "status"; id: string; at: number; from: string | null; to: string; actor: string; staffName: string | null }
  | { type: "message"; id: string; at: number; author: string; visibility: string; body: string; authorName: string | null }
  | { type: "change"; id: string; at: number; action: string; staffName: string | null; from: string | null; to: string | null };

export function findConcernForStaff(db: SyncDb, ref: string): Concern | undefined {
  return db.select().from(concerns).where(eq(concerns.ref, ref)).get();
}

/** Everything staff see of a case: the customer's words, context, choices, deadlines and timeline. */
export function caseView(db: SyncDb, concern: Concern, lang: string, now = Date.now()) {
  const staffNames = new Map(db.select({ id: staffUsers.id, name: staffUsers.name }).from(staffUsers).all().map((s) => [s.id, s.name]));
  const nameOf = (id: number | string | null | undefined) => {
    if (id === null || id === undefined || id === "") return null;
    return staffNames.get(Number(id)) ?? String(id);
  };
  const interaction = concern.interactionId
    ? (db
        .select({ ref: interactions.ref, subject: interactions.subject, channel: interactions.channel, occurredAt: interactions.occurredAt })
        .from(interactions)
        .where(eq(interactions.id, concern.interactionId))
        .get() ?? null)
    : null;
  const system = concern.systemId ? (aiSystemNames(db, lang).get(concern.systemId) ?? null) : null;
  let choices: { key: string; label: string; value: string; isDefault: boolean; needsReconfirmation: boolean }[] | null = null;
  if (concern.customerId) {
    const labels = new Map(listChoices(db, lang).map((c) => [c.key, c.label]));
    choices = getPreferences(db, concern.customerId).map((p) => ({
      key: p.key,
      label: labels.get(p.key) ?? p.key,
      value: p.value,
      isDefault: p.isDefault,
      needsReconfirmation: p.needsReconfirmation,
    }));
  }
  const mergedInto = concern.mergedIntoId
    ? (db.select({ ref: concerns.ref }).from(concerns).where(eq(concerns.id, concern.mergedIntoId)).get()?.ref ?? null)
    : null;

  const events: TimelineEntry[] = db
    .select()
    .from(concernEvents)
    .where(eq(concernEvents.concernId, concern.id))
    .all()
    .map((e) => ({ type: "status", id: `e${e.id}`, at: e.createdAt, from: e.fromStatus, to: e.toStatus, actor: e.actor, staffName: nameOf(e.staffId) }));
  const messages: TimelineEntry[] = db
    .select()
    .from(concernMessages)
    .where(eq(concernMessages.concernId, concern.id))
    .all()
    .map((m) => ({ type: "message", id: `m${m.id}`, at: m.createdAt, author: m.author, visibility: m.visibility, body: m.body, authorName: m.authorName }));
  const changes: TimelineEntry[] = db
    .select()
    .from(auditLog)
    .where(and(eq(auditLog.targetType, "concern"), eq(auditLog.targetId, concern.ref), inArray(auditLog.action, TIMELINE_AUDIT_ACTIONS)))
    .all()
    .map((a) => {
      const details = JSON.parse(a.details) as Record<string, string | number | null>;
      const staffValued = ["concern.claimed", "concern.assigned", "concern.unassigned"].includes(a.action);
      const value = (v: string | number | null | undefined) => (v === undefined || v === null ? null : staffValued ? nameOf(v) : String(v));
      return {
        type: "change",
        id: `a${a.id}`,
        at: a.createdAt,
        action: a.action.replace(/^concern\./, ""),
        staffName: a.actorType === "staff" ? nameOf(a.actorId) : null,
        from: value(details.from),
        to: value(details.to),
      };
    });
  const order = { status: 0, change: 1, message: 2 } as const;
  const timeline = [...events, ...messages, ...changes].sort((a, b) => a.at - b.at || order[a.type] - order[b.type] || a.id.localeCompare(b.id, "en", { numeric: true }));

  return {
    concern,
    assignee: concern.assigneeId !== null ? { id: concern.assigneeId, name: nameOf(concern.assigneeId)! } : null,
    interaction,
    system,
    choices,
    mergedInto,
    deadlines: deadlines(concern, now),
    transitions: allowedTransitions(concern.status),
    timeline,
  };
}

// ── Canned replies ─────────────────────────────────────────────────────────
export type CannedReply = typeof cannedReplies.$inferSelect;

export function listCannedReplies(db: SyncDb, lang?: string): CannedReply[] {
  return db
    .select()
    .from(cannedReplies)
    .where(lang ? eq(cannedReplies.lang, lang) : undefined)
    .orderBy(asc(cannedReplies.key), asc(cannedReplies.lang))
    .all();
}

export function findCannedReply(db: SyncDb, id: number): CannedReply | undefined {
  return db.select().from(cannedReplies).where(eq(cannedReplies.id, id)).get();
}

/**
 * Creates a canned reply (no id) or edits one, audited with its key and language. A key has at
 * most one text per language ("duplicate_canned_reply"). Staff need concerns.assign; the demo
 * seed writes as the system.
 */
export function saveCannedReply(
  db: SyncDb,
  input: { id?: number; key: string; lang: string; title: string; body: string },
  by: StaffActor | "system",
  now = Date.now(),
): number {
  if (by !== "system") requirePermission(by, "concerns.assign");
  const title = normaliseLineBreaks(input.title).trim();
  const body = normaliseLineBreaks(input.body).trim();
  if (!CANNED_KEY_PATTERN.test(input.key) || !title || !fitsLength(title, CANNED_TITLE_MAX) || !body || !fitsLength(body, REPLY_MAX)) {
    throw new ConcernStateError("invalid");
  }
  return db.transaction(
    (tx) => {
      const clash = tx
        .select({ id: cannedReplies.id })
        .from(cannedReplies)
        .where(and(eq(cannedReplies.key, input.key), eq(cannedReplies.lang, input.lang), input.id !== undefined ? ne(cannedReplies.id, input.id) : undefined))
        .get();
      if (clash) throw new ConcernStateError("duplicate_canned_reply");
      let id: number;
      if (input.id !== undefined) {
        const existing = tx.select().from(cannedReplies).where(eq(cannedReplies.id, input.id)).get();
        if (!existing) throw new ConcernStateError("not_found");
        tx.update(cannedReplies).set({ key: input.key, lang: input.lang, title, body, updatedAt: now }).where(eq(cannedReplies.id, input.id)).run();
        id = input.id;
      } else {
        id = tx.insert(cannedReplies).values({ key: input.key, lang: input.lang, title, body, updatedAt: now }).returning({ id: cannedReplies.id }).get().id;
      }
      appendAudit(tx, {
        actor: by === "system" ? { type: "system" } : staffAudit(by),
        action: input.id !== undefined ? "canned_reply.updated" : "canned_reply.created",
        target: { type: "canned_reply", id },
        details: { key: input.key, lang: input.lang },
        now,
      });
      return id;
    },
    { behavior: "immediate" },
  );
}
