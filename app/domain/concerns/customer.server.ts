/**
 * The customer's side of a concern: filing it (with its deadlines and, for anonymous filers, a
 * private tracking token), finding their own concerns, what they see of one (never internal
 * notes), and their own moves — reply, reopen within the grace period, withdraw.
 */
import { and, asc, desc, eq, ne, sql } from "drizzle-orm";
import { concernEvents, concernMessages, concerns, interactions } from "../../../db/schema";
import type { Db } from "../../utils/db.server";
import { preparedQuery } from "../../utils/prepared.server";
import { concernSearchText, normaliseLineBreaks } from "../../utils/text";
import { hashToken, newConcernRef, newToken } from "../../utils/tokens.server";
import { aiSystemNames } from "../ai-register.server";
import { appendAudit } from "../audit.server";
import { enqueueWebhookEvent } from "../webhooks.server";
import { needsTrackingLink, queueConcernEmail } from "../notifications.server";
import { getSetting, outcomeAuthorities, slaHoursFor, statutoryDueDate } from "../settings.server";
import { isOpen, type ConcernKind, type Priority } from "../vocabulary";
import {
  canReopen,
  changeConcern,
  ConcernStateError,
  HOUR_MS,
  moveTo,
  reopenUntil,
  RIGHTS_BASED_KINDS,
  touch,
  type Concern,
} from "./state.server";

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
  /**
   * Who opened it: "customer" (the default; a customer or visitor), "breach" (Candor, for a
   * permission breach; staff only — SPEC §11.5) or "employee" (an employee report, SPEC §12:
   * no customer email; see employee.server.ts).
   */
  origin?: "customer" | "breach" | "employee";
  /** Employee reports only: the reporting staff account (console) or the typed name (public form). */
  reporterStaffId?: number | null;
  reporterName?: string | null;
  /** Default "normal"; a contested or detected permission breach is "high". */
  priority?: Priority;
  now?: number;
}

/**
 * Files a concern with its deadlines (and its event, receipt email, audit entry and
 * `concern.created` webhook, in one transaction). A case of origin "breach" is opened by Candor
 * (actor "system"), never shown to the customer (see listConcernsForCustomer). Anonymous filers get a private tracking token
 * (returned once, stored hashed) — the only way back to their concern. A signed-in customer
 * whose emails go to an address other than their email on record gets one too, but only in the
 * receipt to that address (SPEC §11.3); it is not returned: they follow the concern in their account.
 */
export async function fileConcern(db: Db, input: FileConcernInput): Promise<{ ref: string; trackingToken: string | null }> {
  const now = input.now ?? Date.now();
  // A console employee report is followed in the console: no private link.
  const followedInConsole = input.origin === "employee" && input.reporterStaffId != null;
  const trackingToken = !followedInConsole && (await needsTrackingLink(db, input)) ? newToken() : null;
  const slaHours = (await slaHoursFor(db, input.priority ?? "normal")).firstResponseHours;
  const description = normaliseLineBreaks(input.description);
  const desiredOutcome = normaliseLineBreaks(input.desiredOutcome);
  return db.transaction(async (tx) => {
    let ref = newConcernRef();
    while ((await tx.select({ id: concerns.id }).from(concerns).where(eq(concerns.ref, ref)).limit(1)).length > 0) {
      ref = newConcernRef();
    }
    const [created] = await tx
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
        origin: input.origin ?? "customer",
        reporterStaffId: input.reporterStaffId ?? null,
        reporterName: input.reporterName ?? null,
        priority: input.priority ?? "normal",
        status: "new",
        slaDueAt: now + slaHours * HOUR_MS,
        // GDPR Art. 12(3)'s month is owed to a data subject, not to an employee reporting a concern.
        statutoryDueAt: RIGHTS_BASED_KINDS.includes(input.kind) && input.origin !== "employee" ? await statutoryDueDate(tx, now) : null,
        createdAt: now,
        updatedAt: now,
      })
      .returning();
    const filed = created!;
    const bySystem = input.origin === "breach";
    const byEmployee = input.origin === "employee";
    await tx.insert(concernEvents).values({ concernId: filed.id, fromStatus: null, toStatus: "new", actor: bySystem ? "system" : byEmployee ? "employee" : "customer", createdAt: now });
    // The customer is not told of a staff-only case (they see the breach on their timeline
    // instead); an employee report has no customer to tell.
    if (!bySystem && !byEmployee) await queueConcernEmail(tx, filed, "concern_received", { trackingToken, now });
    await appendAudit(tx, {
      actor: bySystem ? { type: "system" } : byEmployee ? { type: "employee" } : { type: "customer" },
      action: bySystem ? "concern.opened_for_breach" : "concern.filed",
      target: { type: "concern", id: ref },
      details: { kind: input.kind },
      now,
    });
    await enqueueWebhookEvent(tx, "concern.created", { ref, status: "new", kind: input.kind, customerId: input.customerId, aiSystemId: input.systemId }, now);
    return { ref, trackingToken: input.customerId ? null : trackingToken };
  });
}

const concernsOfCustomer = preparedQuery("concerns_of_customer", (db) =>
  db
    .select({
      ref: concerns.ref,
      kind: concerns.kind,
      status: concerns.status,
      createdAt: concerns.createdAt,
      updatedAt: concerns.updatedAt,
    })
    .from(concerns)
    .where(and(eq(concerns.customerId, sql.placeholder("customerId")), ne(concerns.origin, "breach")))
    .orderBy(desc(concerns.createdAt)),
);

/** The customer's own concerns, newest first; staff-only cases (origin "breach") are never listed (prepared: the overview asks on every view). */
export async function listConcernsForCustomer(db: Db, customerId: string) {
  const rows = await concernsOfCustomer(db, { customerId });
  return rows.map((c) => ({ ...c, customerStatus: customerStatus(c.status) }));
}

/** A concern only if it belongs to this customer: the one door for signed-in reads (never a staff-only breach case). */
export async function findCustomerConcern(db: Db, customerId: string, ref: string): Promise<Concern | undefined> {
  const [concern] = await db
    .select()
    .from(concerns)
    .where(and(eq(concerns.ref, ref), eq(concerns.customerId, customerId), ne(concerns.origin, "breach")))
    .limit(1);
  return concern;
}

/** A concern by its private tracking token (anonymous filers). */
export async function findTrackedConcern(db: Db, token: string): Promise<Concern | undefined> {
  if (!token || token.length > 200) return undefined;
  const [concern] = await db.select().from(concerns).where(eq(concerns.trackingTokenHash, hashToken(token))).limit(1);
  return concern;
}

/** Everything the customer may see of their concern: never internal notes. */
export async function customerConcernView(db: Db, concern: Concern, lang: string, now = Date.now()) {
  const messages = (
    await db
      .select()
      .from(concernMessages)
      .where(and(eq(concernMessages.concernId, concern.id), eq(concernMessages.visibility, "public")))
      .orderBy(asc(concernMessages.createdAt), asc(concernMessages.id))
  ).map((m) => ({ id: m.id, author: m.author, authorName: m.authorName, body: m.body, createdAt: m.createdAt }));
  const history = (
    await db
      .select()
      .from(concernEvents)
      .where(eq(concernEvents.concernId, concern.id))
      .orderBy(asc(concernEvents.createdAt), asc(concernEvents.id))
  )
    .map((e) => ({ status: customerStatus(e.toStatus), createdAt: e.createdAt }))
    // Internal moves (in progress → escalated) look the same to the customer: show each change once.
    .filter((e, i, all) => i === 0 || all[i - 1]!.status !== e.status);
  const [interaction] = concern.interactionId
    ? await db.select({ ref: interactions.ref, subject: interactions.subject }).from(interactions).where(eq(interactions.id, concern.interactionId)).limit(1)
    : [];
  const system = concern.systemId ? (await aiSystemNames(db, lang)).get(concern.systemId) : undefined;
  const graceDays = await getSetting(db, "reopenGraceDays");
  const resolved = !isOpen(concern.status) && concern.outcomeCode !== null;
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
    // Every outcome names where the customer can complain (SPEC §12; GDPR Art. 77, AI Act Art. 85).
    authorities: resolved ? await outcomeAuthorities(db, lang) : null,
  };
}

/** A customer's reply; answering a "waiting for you" question puts the case back in review. */
export async function addCustomerReply(db: Db, concern: Concern, body: string, now = Date.now()): Promise<void> {
  await changeConcern(db, concern.id, async (tx, current) => {
    if (!isOpen(current.status)) throw new ConcernStateError("closed");
    await tx.insert(concernMessages).values({ concernId: current.id, author: "customer", visibility: "public", body, createdAt: now });
    if (current.status === "waiting_customer") await moveTo(tx, current, "in_progress", "customer", now);
    else await touch(tx, current, now);
  });
}

/** Reopening is a fresh start for the deadlines; the earlier outcome stays on record. */
export async function reopenConcern(db: Db, concern: Concern, now = Date.now()): Promise<void> {
  await changeConcern(db, concern.id, async (tx, current) => {
    if (!canReopen(current, await getSetting(tx, "reopenGraceDays"), now)) throw new ConcernStateError("not_reopenable");
    const rightsBased = RIGHTS_BASED_KINDS.includes(current.kind as ConcernKind);
    await moveTo(tx, current, "in_progress", "customer", now, {
      closedAt: null,
      slaDueAt: now + (await slaHoursFor(tx, current.priority)).firstResponseHours * HOUR_MS,
      statutoryDueAt: rightsBased ? await statutoryDueDate(tx, now) : current.statutoryDueAt,
    });
  });
}

export async function withdrawConcern(db: Db, concern: Concern, now = Date.now()): Promise<void> {
  await changeConcern(db, concern.id, async (tx, current) => {
    if (!isOpen(current.status)) throw new ConcernStateError("closed");
    await moveTo(tx, current, "withdrawn", "customer", now, { closedAt: now });
  });
}
