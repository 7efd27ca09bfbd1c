import { and, count, desc, eq, gt, inArray, or } from "drizzle-orm";
import { interactionAi, interactions } from "../../db/schema";
import type { Db } from "../utils/db.server";
import { aiSystemNames } from "./ai-register.server";
import { decisionsForInteractions } from "./decisions.server";
import { choiceValueAt } from "./preferences.server";

import { TRAINING_KEY, type AiRole } from "./vocabulary";

export interface RecordInteractionInput {
  customerId: string;
  source: string;
  ref: string;
  channel: string;
  subject: string;
  occurredAt: number;
  ai: {
    systemId: number;
    role: AiRole;
    actionKey?: string | null;
    actionDetail?: string | null;
    humanReviewed: boolean;
    /** The reporting system's flag: this involvement could be used for training. */
    trainingEligible: boolean;
  }[];
}

/**
 * Records an interaction and its AI involvement; idempotent on (source, ref). Training
 * eligibility is stored as it is at the interaction's time (SPEC §11.4): the reported flag AND
 * the customer's training choice at `occurredAt`; changing the choice later never rewrites it.
 */
export function recordInteraction(db: Db, input: RecordInteractionInput): { id: number; created: boolean } {
  return db.transaction(
    (tx) => {
      const existing = tx
        .select({ id: interactions.id })
        .from(interactions)
        .where(and(eq(interactions.source, input.source), eq(interactions.ref, input.ref)))
        .get();
      if (existing) return { id: existing.id, created: false };
      const { id } = tx
        .insert(interactions)
        .values({
          customerId: input.customerId,
          source: input.source,
          ref: input.ref,
          channel: input.channel,
          subject: input.subject,
          occurredAt: input.occurredAt,
          createdAt: Date.now(),
        })
        .returning({ id: interactions.id })
        .get();
      const trainingAllowed = choiceValueAt(tx, input.customerId, TRAINING_KEY, input.occurredAt) === "yes";
      for (const ai of input.ai) {
        tx.insert(interactionAi)
          .values({
            interactionId: id,
            systemId: ai.systemId,
            role: ai.role,
            actionKey: ai.actionKey ?? null,
            actionDetail: ai.actionDetail ?? null,
            humanReviewed: ai.humanReviewed,
            trainingEligible: ai.trainingEligible && trainingAllowed,
            trainingReported: ai.trainingEligible,
          })
          .run();
      }
      return { id, created: true };
    },
    { behavior: "immediate" },
  );
}

export const INTERACTIONS_PAGE_SIZE = 20;

/** The customer's timeline, newest first, with AI involvement and decision checks. */
export function listInteractions(db: Db, customerId: string, lang: string, page = 1) {
  const offset = (Math.max(1, page) - 1) * INTERACTIONS_PAGE_SIZE;
  const total =
    db.select({ n: count() }).from(interactions).where(eq(interactions.customerId, customerId)).get()?.n ?? 0;
  const rows = db
    .select()
    .from(interactions)
    .where(eq(interactions.customerId, customerId))
    .orderBy(desc(interactions.occurredAt), desc(interactions.id))
    .limit(INTERACTIONS_PAGE_SIZE)
    .offset(offset)
    .all();
  const ids = rows.map((r) => r.id);
  const involvement =
    ids.length === 0 ? [] : db.select().from(interactionAi).where(inArray(interactionAi.interactionId, ids)).all();
  const checks = decisionsForInteractions(db, ids);
  const names = aiSystemNames(db, lang);
  const items = rows.map((row) => ({
    id: row.id,
    ref: row.ref,
    channel: row.channel,
    subject: row.subject,
    occurredAt: row.occurredAt,
    ai: involvement
      .filter((a) => a.interactionId === row.id)
      .map((a) => ({
        systemSlug: names.get(a.systemId)?.slug ?? "",
        systemName: names.get(a.systemId)?.name ?? "",
        role: a.role as AiRole,
        actionKey: a.actionKey,
        actionDetail: a.actionDetail,
        humanReviewed: a.humanReviewed,
        trainingEligible: a.trainingEligible,
      })),
    decisions: checks
      .filter((d) => d.interactionId === row.id)
      .map((d) => ({
        id: d.id,
        actionKey: d.actionKey,
        aiSystemSlug: d.aiSystemSlug,
        decision: d.decision,
        reason: d.reason,
        createdAt: d.createdAt,
      })),
  }));
  return { items, total, page: Math.max(1, page), pageCount: Math.max(1, Math.ceil(total / INTERACTIONS_PAGE_SIZE)) };
}

/** A customer's interactions for choosing one in a form (ref and subject only). */
export function interactionOptions(db: Db, customerId: string, limit = 50) {
  return db
    .select({ id: interactions.id, ref: interactions.ref, subject: interactions.subject, occurredAt: interactions.occurredAt })
    .from(interactions)
    .where(eq(interactions.customerId, customerId))
    .orderBy(desc(interactions.occurredAt))
    .limit(limit)
    .all();
}

export function findInteractionByRef(db: Db, customerId: string, ref: string) {
  return db
    .select()
    .from(interactions)
    .where(and(eq(interactions.customerId, customerId), eq(interactions.ref, ref)))
    .get();
}

/** Which timeline page shows the interaction (for links that open on one interaction). */
export function pageOfInteraction(db: Db, customerId: string, ref: string): number | null {
  const target = findInteractionByRef(db, customerId, ref);
  if (!target) return null;
  const newer = db
    .select({ n: count() })
    .from(interactions)
    .where(
      and(
        eq(interactions.customerId, customerId),
        or(
          gt(interactions.occurredAt, target.occurredAt),
          and(eq(interactions.occurredAt, target.occurredAt), gt(interactions.id, target.id)),
        ),
      ),
    )
    .get()?.n ?? 0;
  return Math.floor(newer / INTERACTIONS_PAGE_SIZE) + 1;
}
