/**
 * Staff actions on a case (SPEC §4 "Case"): claim, assign, priority, kind, serious-incident flag,
 * status change, replies and internal notes, bulk actions — each checked against the staff
 * member's role and the case's revision, and audited in the same transaction as the change.
 * Also the unchecked system versions (addStaffMessage, setConcernStatus) used by the demo seed,
 * operators and tests.
 */
import { and, eq, isNull } from "drizzle-orm";
import { concerns, staffUsers } from "../../../db/schema";
import type { Db } from "../../utils/db.server";
import { appendAudit, type AuditActor } from "../audit.server";
import { enqueueWebhookEvent } from "../webhooks.server";
import { can, type Permission } from "../permissions";
import { statutoryDueDate } from "../settings.server";
import { trainingMissing } from "../trainings.server";
import { BULK_STATUSES, CONCERN_KINDS, PRIORITIES, type ConcernKind, type ConcernStatus, type Priority } from "../vocabulary";
import {
  applyStaffMessage,
  applyStatusChange,
  changeConcern,
  ConcernStateError,
  currentConcern,
  RIGHTS_BASED_KINDS,
  SERIOUS_INCIDENT_REPORT_DAYS,
  slaDueAtFor,
  touch,
  type Concern,
} from "./state.server";

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

/** Throws ConcernStateError "forbidden" when the actor's role lacks `permission`. */
export function requirePermission(actor: StaffActor, permission: Permission): void {
  if (!can(actor.role, permission)) throw new ConcernStateError("forbidden");
}

export const staffAudit = (actor: StaffActor): AuditActor => ({ type: "staff", id: actor.id });

/** Loads the case by reference inside a transaction (the current row) and checks its revision. */
async function onCase<T>(db: Db, ref: string, options: CaseOptions, change: (tx: Db, current: Concern, now: number) => Promise<T>): Promise<T> {
  const now = options.now ?? Date.now();
  return db.transaction(async (tx) => {
    const current = await currentConcern(tx, eq(concerns.ref, ref));
    if (!current) throw new ConcernStateError("not_found");
    if (options.expectedRevision !== undefined && current.revision !== options.expectedRevision) {
      throw new ConcernStateError("stale");
    }
    return change(tx, current, now);
  });
}

async function activeStaff(db: Db, id: number) {
  const [staff] = await db
    .select()
    .from(staffUsers)
    .where(and(eq(staffUsers.id, id), isNull(staffUsers.disabledAt)))
    .limit(1);
  return staff;
}

/**
 * Takes the case: allowed to any agent when it is free; taking it from someone else needs
 * concerns.assign. Refused ("not_trained") while `requireTraining` is on and the actor has no
 * current AI-literacy training (AI Act Art. 4, SPEC §12).
 */
export async function claimConcern(db: Db, ref: string, actor: StaffActor, options: CaseOptions = {}): Promise<void> {
  requirePermission(actor, "concerns.work");
  await onCase(db, ref, options, async (tx, current, now) => {
    if (current.assigneeId === actor.id) throw new ConcernStateError("already_yours");
    if (current.assigneeId !== null && !can(actor.role, "concerns.assign")) throw new ConcernStateError("forbidden");
    if (await trainingMissing(tx, actor.id, now)) throw new ConcernStateError("not_trained");
    await touch(tx, current, now, { assigneeId: actor.id });
    await enqueueWebhookEvent(tx, "concern.updated", { ref: current.ref, change: "assignment", status: current.status, kind: current.kind, assigneeId: actor.id }, now);
    await appendAudit(tx, {
      actor: staffAudit(actor),
      action: "concern.claimed",
      target: { type: "concern", id: current.ref },
      details: { from: current.assigneeId, to: actor.id },
      now,
    });
  });
}

async function assignIn(tx: Db, current: Concern, actor: StaffActor, assigneeId: number | null, now: number, bulk: boolean): Promise<boolean> {
  if (assigneeId !== null && !(await activeStaff(tx, assigneeId))) throw new ConcernStateError("unknown_assignee");
  if (current.assigneeId === assigneeId) return false;
  if (assigneeId !== null && (await trainingMissing(tx, assigneeId, now))) throw new ConcernStateError("assignee_not_trained");
  await touch(tx, current, now, { assigneeId });
  await enqueueWebhookEvent(tx, "concern.updated", { ref: current.ref, change: "assignment", status: current.status, kind: current.kind, assigneeId }, now);
  await appendAudit(tx, {
    actor: staffAudit(actor),
    action: assigneeId === null ? "concern.unassigned" : "concern.assigned",
    target: { type: "concern", id: current.ref },
    details: { from: current.assigneeId, to: assigneeId, ...(bulk ? { bulk: true } : {}) },
    now,
  });
  return true;
}

/**
 * Assigns the case to a staff member, or unassigns it (null): supervisors and admins only. Refused
 * ("assignee_not_trained") while `requireTraining` is on and the assignee has no current
 * AI-literacy training (AI Act Art. 4, SPEC §12); bulk assignment reports the same reason per case.
 */
export async function assignConcern(db: Db, ref: string, actor: StaffActor, assigneeId: number | null, options: CaseOptions = {}): Promise<boolean> {
  requirePermission(actor, "concerns.assign");
  return onCase(db, ref, options, (tx, current, now) => assignIn(tx, current, actor, assigneeId, now, false));
}

export async function setPriority(db: Db, ref: string, actor: StaffActor, priority: Priority, options: CaseOptions = {}): Promise<boolean> {
  requirePermission(actor, "concerns.work");
  if (!(PRIORITIES as readonly string[]).includes(priority)) throw new ConcernStateError("invalid");
  return onCase(db, ref, options, async (tx, current, now) => {
    if (current.priority === priority) return false;
    await touch(tx, current, now, { priority, slaDueAt: await slaDueAtFor(tx, current, priority) });
    await appendAudit(tx, {
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
export async function setKind(db: Db, ref: string, actor: StaffActor, kind: ConcernKind, options: CaseOptions = {}): Promise<boolean> {
  requirePermission(actor, "concerns.work");
  if (!(CONCERN_KINDS as readonly string[]).includes(kind)) throw new ConcernStateError("invalid");
  return onCase(db, ref, options, async (tx, current, now) => {
    if (current.kind === kind) return false;
    // GDPR Art. 12(3)'s month is owed to a data subject, not to an employee reporting a concern.
    const rightsBased = RIGHTS_BASED_KINDS.includes(kind) && current.origin !== "employee";
    const statutoryDueAt = rightsBased
      ? (current.statutoryDueAt ?? (await statutoryDueDate(tx, current.createdAt)))
      : null;
    await touch(tx, current, now, { kind, statutoryDueAt });
    await appendAudit(tx, {
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
export async function setSeriousIncident(db: Db, ref: string, actor: StaffActor, flagged: boolean, options: CaseOptions = {}): Promise<boolean> {
  requirePermission(actor, "concerns.assign");
  return onCase(db, ref, options, async (tx, current, now) => {
    if (current.seriousIncident === flagged) return false;
    await touch(tx, current, now, { seriousIncident: flagged, seriousIncidentAt: flagged ? now : null });
    await appendAudit(tx, {
      actor: staffAudit(actor),
      action: flagged ? "concern.serious_incident_flagged" : "concern.serious_incident_cleared",
      target: { type: "concern", id: current.ref },
      details: flagged ? { reportDueDays: SERIOUS_INCIDENT_REPORT_DAYS } : {},
      now,
    });
    return true;
  });
}

export async function changeStatus(
  db: Db,
  ref: string,
  actor: StaffActor,
  input: { to: ConcernStatus; outcomeCode?: string | null; outcomeReason?: string | null; mergeInto?: string | null },
  options: CaseOptions = {},
): Promise<void> {
  requirePermission(actor, "concerns.work");
  await onCase(db, ref, options, async (tx, current, now) => {
    const updated = await applyStatusChange(tx, current, input.to, { ...input, staffId: actor.id, now });
    await appendAudit(tx, {
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

/** A reply to the customer (emailed if they chose email) or an internal note. Resolves to the message id. */
export async function postStaffMessage(
  db: Db,
  ref: string,
  actor: StaffActor,
  input: { body: string; visibility: "public" | "internal" },
  options: CaseOptions = {},
): Promise<number> {
  requirePermission(actor, "concerns.work");
  return onCase(db, ref, options, async (tx, current, now) => {
    const id = await applyStaffMessage(tx, current, { ...input, authorName: actor.name, staffId: actor.id, now });
    await appendAudit(tx, {
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
 * Applies one action to many cases in one transaction, each change audited. Every case is
 * checked against its current state; the ones the action cannot apply to are left untouched
 * and reported with the reason — never skipped silently.
 */
export async function bulkUpdate(db: Db, refs: readonly string[], actor: StaffActor, action: BulkAction, now = Date.now()): Promise<BulkResult> {
  requirePermission(actor, action.type === "assign" ? "concerns.assign" : "concerns.work");
  if (action.type === "status" && !(BULK_STATUSES as readonly string[]).includes(action.to)) {
    throw new ConcernStateError("not_in_bulk");
  }
  const result: BulkResult = { applied: [], unchanged: [], rejected: [] };
  await db.transaction(async (tx) => {
    for (const ref of [...new Set(refs)]) {
      const current = await currentConcern(tx, eq(concerns.ref, ref));
      if (!current) {
        result.rejected.push({ ref, reason: "not_found" });
        continue;
      }
      try {
        // A savepoint per case: a refused case leaves nothing behind.
        const changed = await tx.transaction(async (item) => {
          if (action.type === "assign") return assignIn(item, current, actor, action.assigneeId, now, true);
          const to: ConcernStatus = action.type === "spam" ? "spam" : action.to;
          if (current.status === to) return false;
          await applyStatusChange(item, current, to, { staffId: actor.id, now });
          await appendAudit(item, {
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
  });
  return result;
}

/**
 * A staff reply or note without the console's checks (the console's own action is
 * postStaffMessage, which also checks the role and revision): a public reply is emailed to a
 * customer who chose email, and the first one switches the SLA to the resolution target.
 * Audited. Resolves to the message id.
 */
export async function addStaffMessage(
  db: Db,
  concern: Concern,
  input: { body: string; authorName: string; visibility: "public" | "internal"; staffId?: number | null; now?: number },
): Promise<number> {
  const now = input.now ?? Date.now();
  return changeConcern(db, concern.id, async (tx, current) => {
    const id = await applyStaffMessage(tx, current, { ...input, now });
    await appendAudit(tx, {
      actor: input.staffId ? { type: "staff", id: input.staffId } : { type: "system" },
      action: input.visibility === "public" ? "concern.replied" : "concern.note_added",
      target: { type: "concern", id: current.ref },
      details: { messageId: id },
      now,
    });
    return id;
  });
}

/**
 * A status change through the status machine without the console's role and revision checks
 * (illegal moves throw ConcernStateError "illegal_transition"; resolving needs an outcome and a
 * reason). Audited.
 */
export async function setConcernStatus(
  db: Db,
  concern: Concern,
  to: ConcernStatus,
  input: { outcomeCode?: string; outcomeReason?: string; mergeInto?: string; staffId?: number | null; now?: number } = {},
): Promise<void> {
  const now = input.now ?? Date.now();
  await changeConcern(db, concern.id, async (tx, current) => {
    const updated = await applyStatusChange(tx, current, to, { ...input, now });
    await appendAudit(tx, {
      actor: input.staffId ? { type: "staff", id: input.staffId } : { type: "system" },
      action: "concern.status_changed",
      target: { type: "concern", id: current.ref },
      details: { from: current.status, to, ...(to === "resolved" ? { outcome: updated.outcomeCode } : {}) },
      now,
    });
  });
}
