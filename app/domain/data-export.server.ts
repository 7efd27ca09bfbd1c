import { asc, eq, inArray } from "drizzle-orm";
import { concernEvents, concernMessages, concerns, customerSessions, decisions, linkRedemptions, linkTokens } from "../../db/schema";
import type { Db } from "../utils/db.server";
import { findCustomer } from "./customers.server";
import { listInteractions } from "./interactions.server";
import { consentReceipt, getNotice, getPreferences, listConsentEvents } from "./preferences.server";
import { customerStatus } from "./concerns/index.server";
import { getSetting } from "./settings.server";

/**
 * Everything Candor holds about one customer (GDPR Art. 15 access, Art. 20 portability),
 * as plain JSON, with a full consent receipt per change. Internal staff notes are the company's
 * own working records and are not included; token hashes are secrets and are left out.
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
  const ownConcerns = await db.select().from(concerns).where(eq(concerns.customerId, customerId)).orderBy(asc(concerns.createdAt));
  const concernIds = ownConcerns.map((c) => c.id);
  const messages =
    concernIds.length === 0
      ? []
      : (await db.select().from(concernMessages).where(inArray(concernMessages.concernId, concernIds)).orderBy(asc(concernMessages.createdAt))).filter(
          (m) => m.visibility === "public",
        );
  const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
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
  const choices = await getPreferences(db, customerId);
  const consentEvents = [];
  for (const e of await listConsentEvents(db, customerId)) {
    const notice = await getNotice(db, e.choiceKey, e.noticeVersion, e.lang);
    consentEvents.push({
      receiptId: e.receiptId,
      choice: e.choiceKey,
      value: e.value,
      previousValue: e.previousValue,
      noticeVersion: e.noticeVersion,
      language: e.lang,
      method: e.method,
      at: iso(e.createdAt),
      receipt: consentReceipt(e, { ...receiptContext, noticeText: notice ? `${notice.label}: ${notice.explanation}` : "" }),
    });
  }
  const otherDecisions = (await db.select().from(decisions).where(eq(decisions.customerId, customerId))).filter((d) => d.interactionId === null);
  return {
    exportedAt: iso(now),
    format: "candor-export-v1",
    customer: { id: customer.id, email: customer.email, locale: customer.locale, createdAt: iso(customer.createdAt) },
    choices: choices.map((p) => ({
      choice: p.key,
      value: p.value,
      isDefault: p.isDefault,
      noticeVersion: p.noticeVersion,
      method: p.method,
      updatedAt: iso(p.updatedAt),
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
      at: iso(d.createdAt),
    })),
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
