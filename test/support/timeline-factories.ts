/**
 * Test data for the customer's timeline (SPEC §3.2, §11): rows as the other parts of Candor leave
 * them — decision checks, confirmation requests and answers, training uses — inserted directly, so
 * a test states exactly the history it shows; breaches come from the domain (an AI action recorded
 * without a valid decision).
 */
import { randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import { recordInteraction } from "../../app/domain/interactions.server";
import type { PermissionLimits } from "../../app/domain/vocabulary";
import type { Db } from "../../app/utils/db.server";
import { aiSystems, confirmationAnswers, confirmations, consentEvents, decisions, permissionBreaches, trainingUses } from "../../db/schema";

export const MINUTE = 60_000;

export async function systemIdOf(db: Db, slug: string): Promise<number> {
  const [system] = await db.select({ id: aiSystems.id }).from(aiSystems).where(eq(aiSystems.slug, slug)).limit(1);
  if (!system) throw new Error(`No AI system ${slug} in the seed`);
  return system.id;
}

/**
 * An interaction of the customer (through the domain) in which the offer predictor acted on plan
 * changes. Without `decisionId` the action had no permission: the domain records a breach.
 */
export async function actedInteraction(db: Db, input: { customerId: string; ref: string; occurredAt: number; decisionId?: string | null }) {
  const { id } = await recordInteraction(db, {
    customerId: input.customerId,
    source: "timeline-test",
    ref: input.ref,
    channel: "app",
    subject: `Plan change ${input.ref}`,
    occurredAt: input.occurredAt,
    ai: [
      {
        systemId: await systemIdOf(db, "offer-predictor"),
        role: "acted",
        actionKey: "plan-changes",
        actionDetail: "Moved you to Unlimited 20",
        humanReviewed: false,
        trainingEligible: false,
        decisionId: input.decisionId ?? null,
      },
    ],
  });
  return id;
}

/** An interaction in which the offer predictor only predicted (no action, so no breach possible). */
export async function predictedInteraction(db: Db, input: { customerId: string; ref: string; occurredAt: number; trainingEligible?: boolean }) {
  const { id } = await recordInteraction(db, {
    customerId: input.customerId,
    source: "timeline-test",
    ref: input.ref,
    channel: "email",
    subject: `Plan question ${input.ref}`,
    occurredAt: input.occurredAt,
    ai: [{ systemId: await systemIdOf(db, "offer-predictor"), role: "predicted", humanReviewed: false, trainingEligible: input.trainingEligible ?? false }],
  });
  return id;
}

/** The breach the domain recorded for an interaction (the first). */
export async function breachOf(db: Db, interactionId: number) {
  const [breach] = await db.select().from(permissionBreaches).where(eq(permissionBreaches.interactionId, interactionId)).limit(1);
  if (!breach) throw new Error(`No breach recorded for interaction ${interactionId}`);
  return breach;
}

/** A decision check as the rules engine stores it (default: plan changes by the offer predictor). Returns its id. */
export async function checkFor(
  db: Db,
  input: {
    customerId: string;
    interactionId: number | null;
    actionKey?: string;
    decision: "allow" | "ask" | "deny";
    reason: string;
    createdAt: number;
    context?: Record<string, unknown> | null;
    retryAfter?: number | null;
    confirmationId?: string | null;
  },
): Promise<string> {
  const id = `dec_${randomUUID()}`;
  await db.insert(decisions).values({
    id,
    customerId: input.customerId,
    actionKey: input.actionKey ?? "plan-changes",
    aiSystemSlug: "offer-predictor",
    interactionId: input.interactionId,
    decision: input.decision,
    reason: input.reason,
    preferenceVersion: 1,
    confirmationId: input.confirmationId ?? null,
    context: input.context ? JSON.stringify(input.context) : null,
    retryAfter: input.retryAfter ?? null,
    createdAt: input.createdAt,
  });
  return id;
}

/** A consent event for plan changes with limits (what the limit reasons of later checks refer to). */
export async function limitsGiven(db: Db, input: { customerId: string; limits: PermissionLimits; createdAt: number }) {
  await db.insert(consentEvents).values({
    receiptId: randomUUID(),
    customerId: input.customerId,
    choiceKey: "plan-changes",
    value: "allow",
    previousValue: null,
    noticeVersion: 1,
    lang: "en",
    method: "portal",
    limits: JSON.stringify(input.limits),
    createdAt: input.createdAt,
  });
}

/**
 * A confirmation request about the interaction (plan changes by the offer predictor, 20.00 EUR),
 * asked at `createdAt`, expiring `expiresInMinutes` later, and the customer's answer if any.
 */
export async function askedFor(
  db: Db,
  input: {
    customerId: string;
    interactionId: number;
    createdAt: number;
    expiresInMinutes?: number;
    summary?: Record<string, string>;
    answer?: { answer: "approved" | "declined" | "expired"; at: number };
  },
): Promise<string> {
  const id = `cnf_${randomUUID()}`;
  await db.insert(confirmations).values({
    id,
    customerId: input.customerId,
    actionKey: "plan-changes",
    aiSystemSlug: "offer-predictor",
    interactionId: input.interactionId,
    summary: JSON.stringify(input.summary ?? { en: "Move you to the Unlimited 20 plan" }),
    amountHundredths: 2000,
    currency: "EUR",
    channel: null,
    effectiveAt: null,
    expiresAt: input.createdAt + (input.expiresInMinutes ?? 60) * MINUTE,
    apiKeyId: null,
    createdAt: input.createdAt,
  });
  if (input.answer) {
    await db.insert(confirmationAnswers).values({
      confirmationId: id,
      customerId: input.customerId,
      answer: input.answer.answer,
      method: input.answer.answer === "expired" ? "system" : "portal",
      lang: "en",
      createdAt: input.answer.at,
    });
  }
  return id;
}

/** The interaction went into a training dataset at `usedAt`. */
export async function usedForTraining(db: Db, input: { interactionId: number; dataset: string; usedAt: number }) {
  await db.insert(trainingUses).values({ interactionId: input.interactionId, dataset: input.dataset, usedAt: input.usedAt, apiKeyId: null, createdAt: input.usedAt });
}
