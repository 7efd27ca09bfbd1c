import { and, asc, eq, inArray } from "drizzle-orm";
import {
  aiSystems,
  concernEvents,
  concernMessages,
  concerns,
  confirmationAnswers,
  confirmations,
  customerSessions,
  decisions,
  interactions as interactionsTable,
  linkRedemptions,
  linkTokens,
  permissionBreaches,
  trainingUses,
} from "../../db/schema";
import type { Db } from "../utils/db.server";
import { findCustomer } from "./customers.server";
import { listInteractions } from "./interactions.server";
import { limitsForPeople, parseLimits } from "./permission-limits";
import { consentReceipt, getNotice, getPreferences, listConsentEvents } from "./preferences.server";
import { customerStatus } from "./concerns/index.server";
import { companyTimeZone, getSetting } from "./settings.server";
import { recipientsForChoice } from "./ai-register.server";
import type { DataRecipient } from "./ai-register-data";

/**
 * Everything Candor holds about one customer (GDPR Art. 15 access, Art. 20 portability),
 * as plain JSON, with a full consent receipt per change. Internal staff notes are the company's
 * own working records and are not included; token hashes are secrets and are left out.
 * Since SPEC §11 it also holds the limits of each choice and of each consent event (amounts in
 * the currency's major unit), the time zone quiet hours are read in, the confirmation requests
 * AI agents sent with the customer's answers, the datasets interactions were used in, and the
 * permission breaches found on the customer's account.
 * Async: resolves to undefined for an unknown customer.
 */
export async function exportCustomerData(db: Db, customerId: string, lang: string, now = Date.now()) {
  const customer = await findCustomer(db, customerId);
  if (!customer) return undefined;
  const interactions = [];
  for (let page = 1; ; page++) {
    const batch = await listInteractions(db, customerId, lang, page);
    interactions.push(...batch.items);
    if (page >= batch.pageCount) break;
  }
  // A case staff opened for a permission breach is theirs, not the customer's; the breach itself is exported below.
  const ownConcerns = await db
    .select()
    .from(concerns)
    .where(and(eq(concerns.customerId, customerId), eq(concerns.origin, "customer")))
    .orderBy(asc(concerns.createdAt));
  const concernIds = ownConcerns.map((c) => c.id);
  const messages =
    concernIds.length === 0
      ? []
      : (await db.select().from(concernMessages).where(inArray(concernMessages.concernId, concernIds)).orderBy(asc(concernMessages.createdAt))).filter(
          (m) => m.visibility === "public",
        );
  const receiptContext = {
    controllerName: await getSetting(db, "companyName"),
    controllerContact: await getSetting(db, "privacyContactEmail"),
    policyUrl: await getSetting(db, "privacyPolicyUrl"),
  };
  const history =
    concernIds.length === 0
      ? []
      : await db.select().from(concernEvents).where(inArray(concernEvents.concernId, concernIds)).orderBy(asc(concernEvents.createdAt));
  const links = await db.select().from(linkTokens).where(eq(linkTokens.customerId, customerId)).orderBy(asc(linkTokens.createdAt));
  const redemptions =
    links.length === 0 ? [] : await db.select().from(linkRedemptions).where(inArray(linkRedemptions.linkId, links.map((l) => l.id)));
  const sessions = await db.select().from(customerSessions).where(eq(customerSessions.customerId, customerId)).orderBy(asc(customerSessions.createdAt));
  const choices = await getPreferences(db, customerId, { now });
  const consentEvents = [];
  const recipientsByChoice = new Map<string, DataRecipient[]>();
  for (const e of await listConsentEvents(db, customerId)) {
    const notice = await getNotice(db, e.choiceKey, e.noticeVersion, e.lang);
    if (!recipientsByChoice.has(e.choiceKey)) recipientsByChoice.set(e.choiceKey, await recipientsForChoice(db, e.choiceKey));
    consentEvents.push({
      receiptId: e.receiptId,
      choice: e.choiceKey,
      value: e.value,
      previousValue: e.previousValue,
      noticeVersion: e.noticeVersion,
      language: e.lang,
      method: e.method,
      limits: limitsForPeople(parseLimits(e.limits)),
      at: iso(e.createdAt),
      receipt: consentReceipt(e, { ...receiptContext, noticeText: notice ? `${notice.label}: ${notice.explanation}` : "", recipients: recipientsByChoice.get(e.choiceKey) }),
    });
  }
  const otherDecisions = (await db.select().from(decisions).where(eq(decisions.customerId, customerId))).filter((d) => d.interactionId === null);
  const permission = await permissionRecords(db, customerId, now);
  return {
    exportedAt: iso(now),
    format: "candor-export-v1",
    customer: {
      id: customer.id,
      email: customer.email,
      locale: customer.locale,
      // null: the company's time zone applies (timeZoneInForce).
      timeZone: customer.timeZone,
      timeZoneInForce: customer.timeZone ?? companyTimeZone(),
      createdAt: iso(customer.createdAt),
    },
    choices: choices.map((p) => ({
      choice: p.key,
      value: p.value,
      isDefault: p.isDefault,
      noticeVersion: p.noticeVersion,
      method: p.method,
      updatedAt: iso(p.updatedAt),
      limits: limitsForPeople(p.limits),
      allowedUntil: iso(p.allowedUntil),
      permissionExpired: p.permissionExpired,
    })),
    consentEvents,
    interactions: interactions.map((i) => ({
      ref: i.ref,
      channel: i.channel,
      subject: i.subject,
      occurredAt: iso(i.occurredAt),
      aiInvolvement: i.ai.map((a) => ({
        aiSystem: a.systemSlug,
        role: a.role,
        action: a.actionKey,
        actionDetail: a.actionDetail,
        humanReviewed: a.humanReviewed,
        trainingEligible: a.trainingEligible,
      })),
      decisionChecks: i.decisions.map((d) => ({
        id: d.id,
        action: d.actionKey,
        aiSystem: d.aiSystemSlug,
        decision: d.decision,
        reason: d.reason,
        at: iso(d.createdAt),
      })),
    })),
    otherDecisionChecks: otherDecisions.map((d) => ({
      id: d.id,
      action: d.actionKey,
      aiSystem: d.aiSystemSlug,
      decision: d.decision,
      reason: d.reason,
      confirmationId: d.confirmationId,
      context: parseJson(d.context),
      retryAfter: iso(d.retryAfter),
      at: iso(d.createdAt),
    })),
    ...permission,
    concerns: ownConcerns.map((c) => ({
      ref: c.ref,
      kind: c.kind,
      status: customerStatus(c.status),
      description: c.description,
      desiredOutcome: c.desiredOutcome,
      contactMethod: c.contactMethod,
      contactEmail: c.contactEmail,
      language: c.lang,
      createdAt: iso(c.createdAt),
      resolvedAt: iso(c.resolvedAt),
      outcome: c.outcomeCode,
      outcomeReason: c.outcomeReason,
      messages: messages
        .filter((m) => m.concernId === c.id)
        .map((m) => ({ from: m.author, name: m.authorName, body: m.body, at: iso(m.createdAt) })),
      statusHistory: history
        .filter((h) => h.concernId === c.id)
        .map((h) => ({ status: customerStatus(h.toStatus), by: h.actor, at: iso(h.createdAt) })),
    })),
    personalLinks: links.map((l) => ({
      createdBy: l.createdBy,
      language: l.lang,
      interactionRef: l.interactionRef,
      createdAt: iso(l.createdAt),
      expiresAt: iso(l.expiresAt),
      revokedAt: iso(l.revokedAt),
      openedAt: redemptions.filter((r) => r.linkId === l.id).map((r) => iso(r.createdAt)),
    })),
    sessions: sessions.map((s) => ({
      startedAt: iso(s.createdAt),
      lastSeenAt: iso(s.lastSeenAt),
      endsAt: iso(s.expiresAt),
      endedAt: iso(s.revokedAt),
    })),
  };
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

function parseJson(text: string | null): unknown {
  if (text === null) return null;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/**
 * The customer's permission records (SPEC §11): confirmation requests with their answer and
 * whether a decision check used the approval, training uses per interaction, and permission
 * breaches. `now` (ms) decides whether an unanswered request has expired.
 */
async function permissionRecords(db: Db, customerId: string, now: number) {
  const requests = await db.select().from(confirmations).where(eq(confirmations.customerId, customerId)).orderBy(asc(confirmations.createdAt));
  const ids = requests.map((r) => r.id);
  const answers = ids.length === 0 ? [] : await db.select().from(confirmationAnswers).where(inArray(confirmationAnswers.confirmationId, ids));
  const uses =
    ids.length === 0
      ? []
      : await db
          .select({ confirmationId: decisions.confirmationId, id: decisions.id, createdAt: decisions.createdAt })
          .from(decisions)
          .where(and(inArray(decisions.confirmationId, ids), eq(decisions.reason, "confirmed_by_customer")));
  const ownInteractions = await db
    .select({ id: interactionsTable.id, source: interactionsTable.source, ref: interactionsTable.ref })
    .from(interactionsTable)
    .where(eq(interactionsTable.customerId, customerId));
  const interactionIds = ownInteractions.map((i) => i.id);
  const interactionOf = (id: number | null) => {
    const found = ownInteractions.find((i) => i.id === id);
    return found ? { source: found.source, ref: found.ref } : null;
  };
  const used =
    interactionIds.length === 0
      ? []
      : await db.select().from(trainingUses).where(inArray(trainingUses.interactionId, interactionIds)).orderBy(asc(trainingUses.usedAt));
  const breaches = await db
    .select({ breach: permissionBreaches, system: aiSystems.slug })
    .from(permissionBreaches)
    .leftJoin(aiSystems, eq(aiSystems.id, permissionBreaches.systemId))
    .where(eq(permissionBreaches.customerId, customerId))
    .orderBy(asc(permissionBreaches.detectedAt));
  return {
    confirmations: requests.map((r) => {
      const answer = answers.find((a) => a.confirmationId === r.id);
      const use = uses.find((u) => u.confirmationId === r.id);
      // As the decision check reads it (SPEC §11.1): an approval past its expiry can no longer be used.
      const status = use ? "used" : answer?.answer === "declined" ? "declined" : r.expiresAt <= now ? "expired" : (answer?.answer ?? "pending");
      return {
        id: r.id,
        action: r.actionKey,
        aiSystem: r.aiSystemSlug,
        interaction: interactionOf(r.interactionId),
        summary: parseJson(r.summary),
        details: {
          amount: r.amountHundredths === null ? null : r.amountHundredths / 100,
          currency: r.currency,
          channel: r.channel,
          effectiveAt: iso(r.effectiveAt),
        },
        status,
        createdAt: iso(r.createdAt),
        expiresAt: iso(r.expiresAt),
        answer: answer ? { answer: answer.answer, method: answer.method, language: answer.lang, at: iso(answer.createdAt) } : null,
        usedBy: use ? { decisionId: use.id, at: iso(use.createdAt) } : null,
      };
    }),
    trainingUses: used.map((u) => ({
      interaction: interactionOf(u.interactionId),
      dataset: u.dataset,
      usedAt: iso(u.usedAt),
      recordedAt: iso(u.createdAt),
    })),
    permissionBreaches: breaches.map(({ breach, system }) => ({
      interaction: interactionOf(breach.interactionId),
      aiSystem: system,
      action: breach.actionKey,
      decisionId: breach.decisionId,
      reason: breach.reason,
      detectedAt: iso(breach.detectedAt),
      contested: breach.contestConcernId !== null,
    })),
  };
}
