import { and, asc, desc, eq } from "drizzle-orm";
import { concernEvents, concernMessages, concerns, interactions } from "../../db/schema";
import type { SyncDb } from "../utils/db.server";
import { endOfDayDaysLater } from "../utils/calendar";
import { companyTimeZone } from "./settings.server";
import { concernSearchText, normaliseLineBreaks } from "../utils/text";
import { hashToken, newConcernRef, newToken } from "../utils/tokens.server";
import { aiSystemNames } from "./ai-register.server";
import { appendAudit } from "./audit.server";
import { enqueueWebhookEvent } from "./webhooks.server";
import {
  applyStaffMessage,
  applyStatusChange,
  changeConcern,
  CONCERN_STATUSES,
  ConcernStateError,
  moveTo,
  RIGHTS_BASED_KINDS,
  touch,
  type ConcernStatus,
} from "./concern-workflow.server";
import { needsTrackingLink, queueConcernEmail } from "./notifications.server";
import { getSetting, statutoryDueDate } from "./settings.server";

import { CONCERN_KINDS, isOpen, type ConcernKind } from "./vocabulary";

export { CONCERN_KINDS, type ConcernKind };
// The change primitives and the status machine live in concern-workflow.server.ts.
export { changeConcern, CONCERN_STATUSES, ConcernStateError, moveTo, RIGHTS_BASED_KINDS, touch, type ConcernStatus };

/** What the customer sees of the internal status. */
export type CustomerStatus = "received" | "being_reviewed" | "waiting_for_you" | "resolved" | "closed";

export function customerStatus(status: string): CustomerStatus {
  switch (status) {
    case "new":
      return "received";
    case "in_progress":
    case "waiting_third_party":
    case "escalated":
      return "being_reviewed";
    case "waiting_customer":
      return "waiting_for_you";
    case "resolved":
      return "resolved";
    default:
      return "closed";
  }
}

export { isOpen };

const HOUR_MS = 60 * 60 * 1000;

export type Concern = typeof concerns.$inferSelect;

export interface FileConcernInput {
  customerId: string | null;
  contactEmail: string | null;
  contactMethod: "email" | "portal";
  lang: string;
  kind: ConcernKind;
  interactionId: number | null;
  systemId: number | null;
  description: string;
  desiredOutcome: string;
  now?: number;
}

/**
 * Files a concern with its deadlines. Anonymous filers get a private tracking token
 * (returned once, stored hashed) — the only way back to their concern. A signed-in customer
 * whose emails go to an address other than their email on record gets one too, but only in the
 * receipt to that address (SPEC §11.3); it is not returned: they follow the concern in their account.
 */
export function fileConcern(db: SyncDb, input: FileConcernInput): { ref: string; trackingToken: string | null } {
  const now = input.now ?? Date.now();
  const trackingToken = needsTrackingLink(db, input) ? newToken() : null;
  const slaHours = getSetting(db, "slaFirstResponseHours");
  const description = normaliseLineBreaks(input.description);
  const desiredOutcome = normaliseLineBreaks(input.desiredOutcome);
  return db.transaction(
    (tx) => {
      let ref = newConcernRef();
      while (tx.select({ id: concerns.id }).from(concerns).where(eq(concerns.ref, ref)).get()) {
        ref = newConcernRef();
      }
      const { id } = tx
        .insert(concerns)
        .values({
          ref,
          customerId: input.customerId,
          trackingTokenHash: trackingToken ? hashToken(trackingToken) : null,
          contactEmail: input.contactEmail,
          contactMethod: input.contactMethod,
          lang: input.lang,
          kind: input.kind,
          interactionId: input.interactionId,
          systemId: input.systemId,
          description,
          desiredOutcome,
          searchText: concernSearchText({ ref, description, desiredOutcome }),
          status: "new",
          slaDueAt: now + slaHours * HOUR_MS,
          statutoryDueAt: RIGHTS_BASED_KINDS.includes(input.kind) ? statutoryDueDate(tx, now) : null,
          createdAt: now,
          updatedAt: now,
        })
        .returning({ id: concerns.id })
        .get();
      tx.insert(concernEvents).values({ concernId: id, fromStatus: null, toStatus: "new", actor: "customer", createdAt: now }).run();
      const filed = tx.select().from(concerns).where(eq(concerns.id, id)).get()!;
      queueConcernEmail(tx, filed, "concern_received", { trackingToken, now });
      appendAudit(tx, { actor: { type: "customer" }, action: "concern.filed", target: { type: "concern", id: ref }, details: { kind: input.kind }, now });
      enqueueWebhookEvent(tx, "concern.created", { ref, status: "new", kind: input.kind, customerId: input.customerId, aiSystemId: input.systemId }, now);
      return { ref, trackingToken: input.customerId ? null : trackingToken };
    },
    { behavior: "immediate" },
  );
}

export function listConcernsForCustomer(db: SyncDb, customerId: string) {
  return db
    .select({
      ref: concerns.ref,
      kind: concerns.kind,
      status: concerns.status,
      createdAt: concerns.createdAt,
      updatedAt: concerns.updatedAt,
    })
    .from(concerns)
    .where(eq(concerns.customerId, customerId))
    .orderBy(desc(concerns.createdAt))
    .all()
    .map((c) => ({ ...c, customerStatus: customerStatus(c.status) }));
}

/** A concern only if it belongs to this customer: the one door for signed-in reads. */
export function findCustomerConcern(db: SyncDb, customerId: string, ref: string): Concern | undefined {
  return db
    .select()
    .from(concerns)
    .where(and(eq(concerns.ref, ref), eq(concerns.customerId, customerId)))
    .get();
}

/** A concern by its private tracking token (anonymous filers). */
export function findTrackedConcern(db: SyncDb, token: string): Concern | undefined {
  if (!token || token.length > 200) return undefined;
  return db.select().from(concerns).where(eq(concerns.trackingTokenHash, hashToken(token))).get();
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

/** Everything the customer may see of their concern: never internal notes. */
export function customerConcernView(db: SyncDb, concern: Concern, lang: string, now = Date.now()) {
  const messages = db
    .select()
    .from(concernMessages)
    .where(and(eq(concernMessages.concernId, concern.id), eq(concernMessages.visibility, "public")))
    .orderBy(asc(concernMessages.createdAt), asc(concernMessages.id))
    .all()
    .map((m) => ({ id: m.id, author: m.author, authorName: m.authorName, body: m.body, createdAt: m.createdAt }));
  const history = db
    .select()
    .from(concernEvents)
    .where(eq(concernEvents.concernId, concern.id))
    .orderBy(asc(concernEvents.createdAt), asc(concernEvents.id))
    .all()
    .map((e) => ({ status: customerStatus(e.toStatus), createdAt: e.createdAt }))
    // Internal moves (in progress → escalated) look the same to the customer: show each change once.
    .filter((e, i, all) => i === 0 || all[i - 1]!.status !== e.status);
  const interaction = concern.interactionId
    ? db.select({ ref: interactions.ref, subject: interactions.subject }).from(interactions).where(eq(interactions.id, concern.interactionId)).get()
    : undefined;
  const system = concern.systemId ? aiSystemNames(db, lang).get(concern.systemId) : undefined;
  const graceDays = getSetting(db, "reopenGraceDays");
  return {
    ref: concern.ref,
    kind: concern.kind,
    status: customerStatus(concern.status),
    description: concern.description,
    desiredOutcome: concern.desiredOutcome,
    contactMethod: concern.contactMethod,
    createdAt: concern.createdAt,
    updatedAt: concern.updatedAt,
    // The outcome belongs to a resolution: a reopened concern is back in review.
    outcomeCode: isOpen(concern.status) ? null : concern.outcomeCode,
    outcomeReason: isOpen(concern.status) ? null : concern.outcomeReason,
    resolvedAt: isOpen(concern.status) ? null : concern.resolvedAt,
    interaction: interaction ?? null,
    system: system ?? null,
    messages,
    history,
    canReply: isOpen(concern.status),
    canWithdraw: isOpen(concern.status),
    canReopen: canReopen(concern, graceDays, now),
    reopenUntil: concern.resolvedAt ? reopenUntil(concern.resolvedAt, graceDays) : null,
  };
}

/** A customer's reply; answering a "waiting for you" question puts the case back in review. */
export function addCustomerReply(db: SyncDb, concern: Concern, body: string, now = Date.now()): void {
  changeConcern(db, concern.id, (tx, current) => {
    if (!isOpen(current.status)) throw new ConcernStateError("closed");
    tx.insert(concernMessages).values({ concernId: current.id, author: "customer", visibility: "public", body, createdAt: now }).run();
    if (current.status === "waiting_customer") moveTo(tx, current, "in_progress", "customer", now);
    else touch(tx, current, now);
  });
}

/** Reopening is a fresh start for the deadlines; the earlier outcome stays on record. */
export function reopenConcern(db: SyncDb, concern: Concern, now = Date.now()): void {
  changeConcern(db, concern.id, (tx, current) => {
    if (!canReopen(current, getSetting(tx, "reopenGraceDays"), now)) throw new ConcernStateError("not_reopenable");
    const rightsBased = RIGHTS_BASED_KINDS.includes(current.kind as ConcernKind);
    moveTo(tx, current, "in_progress", "customer", now, {
      closedAt: null,
      slaDueAt: now + getSetting(tx, "slaFirstResponseHours") * HOUR_MS,
      statutoryDueAt: rightsBased ? statutoryDueDate(tx, now) : current.statutoryDueAt,
    });
  });
}

export function withdrawConcern(db: SyncDb, concern: Concern, now = Date.now()): void {
  changeConcern(db, concern.id, (tx, current) => {
    if (!isOpen(current.status)) throw new ConcernStateError("closed");
    moveTo(tx, current, "withdrawn", "customer", now, { closedAt: now });
  });
}

/**
 * A staff reply or note (the console's own action is postStaffMessage in concern-workflow, which
 * also checks the role and revision): a public reply is emailed to a customer who chose email,
 * and the first one switches the SLA to the resolution target. Audited.
 */
export function addStaffMessage(
  db: SyncDb,
  concern: Concern,
  input: { body: string; authorName: string; visibility: "public" | "internal"; staffId?: number | null; now?: number },
): number {
  const now = input.now ?? Date.now();
  return changeConcern(db, concern.id, (tx, current) => {
    const id = applyStaffMessage(tx, current, { ...input, now });
    appendAudit(tx, {
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
 * A staff status change through the status machine (illegal moves throw ConcernStateError
 * "illegal_transition"; resolving needs an outcome and a reason). Audited.
 */
export function setConcernStatus(
  db: SyncDb,
  concern: Concern,
  to: ConcernStatus,
  input: { outcomeCode?: string; outcomeReason?: string; mergeInto?: string; staffId?: number | null; now?: number } = {},
): void {
  const now = input.now ?? Date.now();
  changeConcern(db, concern.id, (tx, current) => {
    const updated = applyStatusChange(tx, current, to, { ...input, now });
    appendAudit(tx, {
      actor: input.staffId ? { type: "staff", id: input.staffId } : { type: "system" },
      action: "concern.status_changed",
      target: { type: "concern", id: current.ref },
      details: { from: current.status, to, ...(to === "resolved" ? { outcome: updated.outcomeCode } : {}) },
      now,
    });
  });
}

/** Unscoped lookup by reference: for staff, operators and tests — never for customer routes. */
export function findConcernByRef(db: SyncDb, ref: string): Concern | undefined {
  return db.select().from(concerns).where(eq(concerns.ref, ref)).get();
}
