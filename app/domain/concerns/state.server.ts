/**
 * The concern's state (SPEC §4 "Queue" and "Case"): the status machine, the deadlines (SLA with
 * its pause, statutory due date, serious-incident reporting clock, the customer's reopening
 * window), the one lookup by reference, and the change primitives every action builds on —
 * each change re-reads the concern inside a transaction (SQLite: IMMEDIATE; PostgreSQL: the row
 * locked `FOR UPDATE`), so it never acts on a stale copy.
 */
import { asc, eq, type SQL } from "drizzle-orm";
import { concernEvents, concernMessages, concerns } from "../../../db/schema";
import { forEngine, type Db } from "../../utils/db.server";
import { endOfDayDaysLater } from "../../utils/calendar";
import { fitsLength, normaliseLineBreaks } from "../../utils/text";
import { enqueueWebhookEvent } from "../webhooks.server";
import { queueConcernEmail } from "../notifications.server";
import { companyTimeZone, slaHoursFor } from "../settings.server";
import { CONCERN_STATUSES, isOpen, OUTCOME_CODES, OUTCOME_REASON_MAX, REPLY_MAX, type ConcernKind, type ConcernStatus } from "../vocabulary";
import type { Concern } from "./concern";

export type { Concern };

// SLA targets are elapsed hours (see SETTING_DEFAULTS); calendar periods go through utils/calendar.
export const HOUR_MS = 60 * 60 * 1000;

// ── Vocabulary ─────────────────────────────────────────────────────────────
export const isConcernStatus = (value: unknown): value is ConcernStatus =>
  typeof value === "string" && (CONCERN_STATUSES as readonly string[]).includes(value);

/** Kinds that exercise a legal right (GDPR Art. 15/21/22, AI Act Art. 86): one-month statutory deadline. */
export const RIGHTS_BASED_KINDS: readonly ConcernKind[] = ["explanation", "human_review", "privacy"];

/** AI Act Art. 73(2): a serious incident is reported within 15 days of becoming aware of it. */
export const SERIOUS_INCIDENT_REPORT_DAYS = 15;

// ── The status machine ─────────────────────────────────────────────────────
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
/**
 * A case with no reader outside the staff: one Candor opened for a permission breach (SPEC §11.5),
 * or an employee report filed from the console (the reporter follows it there; SPEC §12). It takes
 * internal notes only, and the first note counts as its first response.
 */
export function isStaffOnlyCase(concern: Pick<Concern, "origin" | "trackingTokenHash" | "customerId" | "contactEmail">): boolean {
  if (concern.origin === "breach") return true;
  return concern.origin === "employee" && concern.trackingTokenHash === null && concern.customerId === null && concern.contactEmail === null;
}

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

/**
 * The SLA due time of `concern` once its priority is `priority` (SPEC §12 "SLA hours per
 * priority", for a priority change): the running target (first response until there is one, then
 * resolution) moves by the difference between the two priorities' hours, so time already spent
 * waiting on the customer and a reopening's fresh start are kept. A concern without an SLA due
 * time keeps none. Resolves to ms since epoch (UTC) or null.
 */
export async function slaDueAtFor(tx: Db, concern: Pick<Concern, "slaDueAt" | "firstResponseAt" | "priority">, priority: string): Promise<number | null> {
  if (concern.slaDueAt === null || concern.priority === priority) return concern.slaDueAt;
  const target = concern.firstResponseAt === null ? "firstResponseHours" : "resolutionHours";
  const before = (await slaHoursFor(tx, concern.priority))[target];
  const after = (await slaHoursFor(tx, priority))[target];
  return concern.slaDueAt + (after - before) * HOUR_MS;
}

/** An open concern past its SLA or statutory due date at `now` (a paused SLA does not run). */
export function isOverdue(concern: Concern, now = Date.now()): boolean {
  const { overdue } = deadlines(concern, now);
  return overdue.sla || overdue.statutory;
}

/**
 * Until when the customer may reopen a concern resolved at `resolvedAt`: the end (23:59:59.999
 * local) of the day `graceDays` calendar days after the day of resolution, on the company's
 * calendar (`timeZone`) — the date the customer is shown. Epoch ms.
 */
export function reopenUntil(resolvedAt: number, graceDays: number, timeZone = companyTimeZone()): number {
  return endOfDayDaysLater(resolvedAt, graceDays, timeZone);
}

/** A resolved concern — also once closed after its resolution — can be reopened until `reopenUntil`. */
export function canReopen(concern: Concern, graceDays: number, now = Date.now(), timeZone = companyTimeZone()): boolean {
  return (
    (concern.status === "resolved" || concern.status === "closed") &&
    concern.resolvedAt !== null &&
    now <= reopenUntil(concern.resolvedAt, graceDays, timeZone)
  );
}

/** Time spent in "waiting on customer" in completed stretches (the running one is not counted). */
async function completedPauses(db: Db, concernId: number): Promise<number> {
  const events = await db
    .select({ from: concernEvents.fromStatus, to: concernEvents.toStatus, at: concernEvents.createdAt })
    .from(concernEvents)
    .where(eq(concernEvents.concernId, concernId))
    .orderBy(asc(concernEvents.createdAt), asc(concernEvents.id));
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

// ── Reading a concern ──────────────────────────────────────────────────────
/** Unscoped lookup by reference: for staff, operators and tests — never for customer routes. */
export async function findConcernByRef(db: Db, ref: string): Promise<Concern | undefined> {
  const [concern] = await db.select().from(concerns).where(eq(concerns.ref, ref)).limit(1);
  return concern;
}

/**
 * The concern as it is now, for a change inside the open transaction `tx`. SQLite serialises
 * writing transactions (IMMEDIATE), so the read is enough; PostgreSQL locks the row until the
 * transaction ends (`FOR UPDATE`), so a concurrent change waits and then sees this one.
 */
export async function currentConcern(tx: Db, where: SQL): Promise<Concern | undefined> {
  const query = tx.select().from(concerns).where(where).limit(1);
  const [concern] = await forEngine(tx, {
    sqlite: () => query,
    // At run time a PostgreSQL handle builds a PgSelect, which has the row-locking clause.
    postgres: () => (query as unknown as { for(strength: "update"): Promise<Concern[]> }).for("update"),
  });
  return concern;
}

// ── Change primitives ──────────────────────────────────────────────────────
/**
 * Runs a change on the concern as it is *now*: re-read (and on PostgreSQL locked) inside a
 * transaction, so two submissions at once (two tabs, a double click, a staff member) never act
 * on a stale copy.
 */
export async function changeConcern<T>(db: Db, concernId: number, change: (tx: Db, current: Concern) => Promise<T>): Promise<T> {
  return db.transaction(async (tx) => {
    const current = await currentConcern(tx, eq(concerns.id, concernId));
    if (!current) throw new ConcernStateError("gone");
    return change(tx, current);
  });
}

/** Records that the concern changed: a new revision (two editors never overwrite each other silently). */
export async function touch(db: Db, concern: Concern, now: number, extra: Partial<Concern> = {}): Promise<void> {
  await db.update(concerns).set({ updatedAt: now, revision: concern.revision + 1, ...extra }).where(eq(concerns.id, concern.id));
}

/**
 * A status change with its event. Entering "waiting on customer" pauses the SLA; leaving it
 * pushes the SLA due time later by the paused time. (No transition check here: customers'
 * own moves — reply, withdraw, reopen — use it directly; staff go through applyStatusChange.)
 */
export async function moveTo(
  db: Db,
  concern: Concern,
  to: ConcernStatus,
  actor: "customer" | "staff" | "system",
  now: number,
  extra: Partial<Concern> = {},
  staffId: number | null = null,
): Promise<void> {
  const clock: Partial<Concern> = {};
  if (to === "waiting_customer" && concern.status !== "waiting_customer") clock.slaPausedAt = now;
  if (concern.status === "waiting_customer" && to !== "waiting_customer" && concern.slaPausedAt !== null) {
    clock.slaPausedAt = null;
    if (concern.slaDueAt !== null) clock.slaDueAt = concern.slaDueAt + Math.max(0, now - concern.slaPausedAt);
  }
  await touch(db, concern, now, { status: to, ...clock, ...extra });
  await db.insert(concernEvents).values({ concernId: concern.id, fromStatus: concern.status, toStatus: to, actor, staffId, createdAt: now });
  await enqueueWebhookEvent(db, "concern.updated", { ref: concern.ref, change: "status", status: to, previousStatus: concern.status, kind: concern.kind }, now);
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
 * Resolves to the concern as it now is.
 */
export async function applyStatusChange(tx: Db, current: Concern, to: ConcernStatus, input: StatusChangeInput = {}): Promise<Concern> {
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
    const target = await findConcernByRef(tx, input.mergeInto);
    if (!target || target.id === current.id || ["merged", "spam", "withdrawn"].includes(target.status)) {
      throw new ConcernStateError("unknown_merge_target");
    }
    Object.assign(extra, { mergedIntoId: target.id, closedAt: now });
  }
  if (to === "closed" || to === "withdrawn" || to === "spam") extra.closedAt = now;
  // Back to work (staff reopening a resolution, restoring a wrongly marked spam): a fresh
  // resolution SLA from now, so the case is not overdue the moment it reopens.
  if ((to === "in_progress" || to === "new") && ["resolved", "spam"].includes(current.status)) {
    Object.assign(extra, { closedAt: null, slaDueAt: now + (await slaHoursFor(tx, current.priority)).resolutionHours * HOUR_MS, slaPausedAt: null });
  } else if (to === "in_progress" || to === "new") {
    extra.closedAt = null;
  }
  await moveTo(tx, current, to, "staff", now, extra, input.staffId ?? null);
  const [updated] = await tx.select().from(concerns).where(eq(concerns.id, current.id)).limit(1);
  if (to === "resolved") await queueConcernEmail(tx, updated!, "concern_resolved", { now });
  return updated!;
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
 * the customer). A case of origin "breach" takes internal notes only ("staff_only"). Resolves to
 * the message id.
 */
export async function applyStaffMessage(tx: Db, current: Concern, input: StaffMessageInput): Promise<number> {
  const now = input.now ?? Date.now();
  const body = normaliseLineBreaks(input.body).trim();
  if (!body || !fitsLength(body, REPLY_MAX)) throw new ConcernStateError("invalid_message");
  if (input.visibility === "public" && !(isOpen(current.status) || current.status === "resolved")) {
    throw new ConcernStateError("no_reply");
  }
  // A case nobody outside reads (a breach case, a console employee report): a reply would reach no one.
  if (input.visibility === "public" && isStaffOnlyCase(current)) throw new ConcernStateError("staff_only");
  const [message] = await tx
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
    .returning({ id: concernMessages.id });
  const id = message!.id;
  const extra: Partial<Concern> = {};
  // A case opened for a permission breach has no customer to answer: staff's first note is its first response.
  if ((input.visibility === "public" || isStaffOnlyCase(current)) && current.firstResponseAt === null) {
    extra.firstResponseAt = now;
    extra.slaDueAt = current.createdAt + (await slaHoursFor(tx, current.priority)).resolutionHours * HOUR_MS + (await completedPauses(tx, current.id));
  }
  await touch(tx, current, now, extra);
  if (input.visibility === "public") {
    await queueConcernEmail(tx, current, "concern_reply", { replyBody: body, now });
    await enqueueWebhookEvent(tx, "concern.updated", { ref: current.ref, change: "reply", status: current.status, kind: current.kind, messageId: id }, now);
  }
  return id;
}
