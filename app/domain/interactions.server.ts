import { and, count, desc, eq, exists, gt, inArray, or, sql } from "drizzle-orm";
import { aiSystems, interactionAi, interactions } from "../../db/schema";
import type { Db } from "../utils/db.server";
import { preparedQuery } from "../utils/prepared.server";
import { aiSystemNames } from "./ai-register.server";
import { breachReason, recordBreach, storedBreaches, type DetectedBreach } from "./breaches.server";
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
    /** For role "acted": the decision check that allowed it (SPEC §11.5). */
    decisionId?: string | null;
  }[];
}

/** The fields of a recorded interaction a re-post may differ in, named as the API names them. */
export type InteractionField = "customerId" | "channel" | "subject" | "occurredAt" | "ai";

/** A re-post of an existing (source, ref) with different content: nothing was changed. */
export class InteractionConflictError extends Error {
  constructor(readonly fields: InteractionField[]) {
    super(`This source and ref were recorded with a different ${fields.join(", ")}.`);
  }
}

/** The AI involvement as comparable values, in the order it was given (the named decision included). */
function aiRows(ai: readonly (Omit<RecordInteractionInput["ai"][number], "role"> & { role: string })[]) {
  return ai.map((a) => [a.systemId, a.role, a.actionKey ?? null, a.actionDetail ?? null, a.humanReviewed, a.trainingEligible, a.decisionId ?? null]);
}

export interface RecordedInteraction {
  id: number;
  created: boolean;
  /** AI actions without a valid permission (SPEC §11.5); for a replay, the ones found when it was first recorded. */
  breaches: DetectedBreach[];
}

/**
 * Records an interaction and its AI involvement (async); idempotent on (source, ref): a re-post with the
 * same content returns the stored record (`created: false`, with the breaches found the first
 * time; nothing is detected again). `occurredAt` in epoch ms. Training eligibility is stored as it
 * is at the interaction's time (SPEC §11.4): the reported flag AND the customer's training choice
 * at `occurredAt`; changing the choice later never rewrites it.
 * Permission breaches (SPEC §11.5), in the same transaction: every AI row with role "acted" and an
 * action kind must name a decision that covers it (see breachReason); each one that does not is
 * recorded with its staff case, audit entry and `breach.detected` webhook (recordBreach).
 * @throws InteractionConflictError when (source, ref) exists with different content (which
 *   fields differ; the named decisions are part of `ai`) — a changed re-post is never silently
 *   dropped nor applied.
 */
export async function recordInteraction(db: Db, input: RecordInteractionInput): Promise<RecordedInteraction> {
  return db.transaction(async (tx) => {
    const [existing] = await tx
      .select()
      .from(interactions)
      .where(and(eq(interactions.source, input.source), eq(interactions.ref, input.ref)))
      .limit(1);
    if (existing) {
      const storedAi = (
        await tx.select().from(interactionAi).where(eq(interactionAi.interactionId, existing.id)).orderBy(interactionAi.id)
      )
        // A re-post carries the reported flag, which is stored apart from the eligibility at the time.
        .map((a) => ({ ...a, trainingEligible: a.trainingReported }));
      const differs: InteractionField[] = [];
      if (existing.customerId !== input.customerId) differs.push("customerId");
      if (existing.channel !== input.channel) differs.push("channel");
      if (existing.subject !== input.subject) differs.push("subject");
      if (existing.occurredAt !== input.occurredAt) differs.push("occurredAt");
      if (JSON.stringify(aiRows(storedAi)) !== JSON.stringify(aiRows(input.ai))) differs.push("ai");
      if (differs.length > 0) throw new InteractionConflictError(differs);
      return { id: existing.id, created: false, breaches: await storedBreaches(tx, existing.id) };
    }
    const now = Date.now();
    const [created] = await tx
      .insert(interactions)
      .values({
        customerId: input.customerId,
        source: input.source,
        ref: input.ref,
        channel: input.channel,
        subject: input.subject,
        occurredAt: input.occurredAt,
        createdAt: now,
      })
      .returning({ id: interactions.id });
    const id = created!.id;
    const trainingAllowed = (await choiceValueAt(tx, input.customerId, TRAINING_KEY, input.occurredAt)) === "yes";
    const acts = input.ai.some((a) => a.role === "acted" && a.actionKey);
    const slugs = acts
      ? new Map(
          (await tx.select({ id: aiSystems.id, slug: aiSystems.slug }).from(aiSystems).where(inArray(aiSystems.id, [...new Set(input.ai.map((a) => a.systemId))]))).map(
            (s) => [s.id, s.slug],
          ),
        )
      : new Map<number, string>();
    const breaches: DetectedBreach[] = [];
    for (const [index, ai] of input.ai.entries()) {
      const decisionId = ai.decisionId ?? null;
      const acted = ai.role === "acted" && ai.actionKey ? { actionKey: ai.actionKey, systemSlug: slugs.get(ai.systemId) ?? "" } : null;
      // Checked before this row is stored: "already used" means named by another acted row.
      const reason = acted ? await breachReason(tx, { customerId: input.customerId, decisionId, occurredAt: input.occurredAt, ...acted }) : null;
      const [row] = await tx
        .insert(interactionAi)
        .values({
          interactionId: id,
          systemId: ai.systemId,
          role: ai.role,
          actionKey: ai.actionKey ?? null,
          actionDetail: ai.actionDetail ?? null,
          humanReviewed: ai.humanReviewed,
          trainingEligible: ai.trainingEligible && trainingAllowed,
          trainingReported: ai.trainingEligible,
          decisionId,
        })
        .returning({ id: interactionAi.id });
      if (acted && reason) {
        breaches.push(
          await recordBreach(tx, {
            interaction: { id, customerId: input.customerId, source: input.source, ref: input.ref },
            interactionAiId: row!.id,
            index,
            systemId: ai.systemId,
            systemSlug: acted.systemSlug,
            actionKey: acted.actionKey,
            decisionId,
            reason,
            now,
          }),
        );
      }
    }
    return { id, created: true, breaches };
  });
}

export const INTERACTIONS_PAGE_SIZE = 20;

/**
 * The customer's timeline, newest first, with AI involvement (in recorded order) and decision
 * checks (those made for the interaction or named by its actions; `context` as stored JSON text,
 * `retryAfter` in ms) (async).
 */
export async function listInteractions(db: Db, customerId: string, lang: string, page = 1) {
  const offset = (Math.max(1, page) - 1) * INTERACTIONS_PAGE_SIZE;
  const [counted] = await db.select({ n: count() }).from(interactions).where(eq(interactions.customerId, customerId));
  const total = counted?.n ?? 0;
  const rows = await db
    .select()
    .from(interactions)
    .where(eq(interactions.customerId, customerId))
    .orderBy(desc(interactions.occurredAt), desc(interactions.id))
    .limit(INTERACTIONS_PAGE_SIZE)
    .offset(offset);
  const ids = rows.map((r) => r.id);
  const involvement =
    ids.length === 0 ? [] : await db.select().from(interactionAi).where(inArray(interactionAi.interactionId, ids)).orderBy(interactionAi.id);
  const checks = await decisionsForInteractions(db, ids);
  const names = await aiSystemNames(db, lang);
  const items = rows.map((row) => ({
    id: row.id,
    ref: row.ref,
    channel: row.channel,
    subject: row.subject,
    occurredAt: row.occurredAt,
    ai: involvement
      .filter((a) => a.interactionId === row.id)
      .map((a) => ({
        id: a.id,
        decisionId: a.decisionId,
        systemSlug: names.get(a.systemId)?.slug ?? "",
        systemName: names.get(a.systemId)?.name ?? "",
        role: a.role as AiRole,
        actionKey: a.actionKey,
        actionDetail: a.actionDetail,
        humanReviewed: a.humanReviewed,
        trainingEligible: a.trainingEligible,
      })),
    decisions: checks
      .filter((d) => d.forInteractionId === row.id)
      .map((d) => ({
        id: d.id,
        actionKey: d.actionKey,
        aiSystemSlug: d.aiSystemSlug,
        decision: d.decision,
        reason: d.reason,
        createdAt: d.createdAt,
        context: d.context,
        retryAfter: d.retryAfter,
      })),
  }));
  return { items, total, page: Math.max(1, page), pageCount: Math.max(1, Math.ceil(total / INTERACTIONS_PAGE_SIZE)) };
}

const newestWithAi = preparedQuery("interactions_recent_ai", (db) =>
  db
    .select({ id: interactions.id, ref: interactions.ref, subject: interactions.subject, occurredAt: interactions.occurredAt })
    .from(interactions)
    .where(
      and(
        eq(interactions.customerId, sql.placeholder("customerId")),
        exists(db.select({ one: sql`1` }).from(interactionAi).where(eq(interactionAi.interactionId, interactions.id))),
      ),
    )
    .orderBy(desc(interactions.occurredAt), desc(interactions.id))
    .limit(sql.placeholder("limit")),
);

/**
 * The overview's "recent AI-involved interactions" (SPEC §3.2): the customer's `limit` newest
 * interactions with AI involvement, newest first — ref, subject, `occurredAt` (ms) and the names
 * (in `lang`) of the AI systems involved, in recorded order (async).
 */
export async function recentAiInteractions(db: Db, customerId: string, lang: string, limit = 3) {
  const rows = await newestWithAi(db, { customerId, limit });
  if (rows.length === 0) return [];
  const involvement = await db
    .select({ interactionId: interactionAi.interactionId, systemId: interactionAi.systemId })
    .from(interactionAi)
    .where(inArray(interactionAi.interactionId, rows.map((r) => r.id)))
    .orderBy(interactionAi.id);
  const names = await aiSystemNames(db, lang);
  return rows.map((row) => ({
    ...row,
    systemNames: involvement.filter((a) => a.interactionId === row.id).map((a) => names.get(a.systemId)?.name ?? ""),
  }));
}

/** A customer's interactions for choosing one in a form (ref and subject only; async). */
export async function interactionOptions(db: Db, customerId: string, limit = 50) {
  return await db
    .select({ id: interactions.id, ref: interactions.ref, subject: interactions.subject, occurredAt: interactions.occurredAt })
    .from(interactions)
    .where(eq(interactions.customerId, customerId))
    .orderBy(desc(interactions.occurredAt))
    .limit(limit);
}

/** One of the customer's interactions by its ref (async). */
export async function findInteractionByRef(db: Db, customerId: string, ref: string) {
  const [interaction] = await db
    .select()
    .from(interactions)
    .where(and(eq(interactions.customerId, customerId), eq(interactions.ref, ref)))
    .limit(1);
  return interaction;
}

/** Which timeline page shows the interaction (async; for links that open on one interaction). */
export async function pageOfInteraction(db: Db, customerId: string, ref: string): Promise<number | null> {
  const target = await findInteractionByRef(db, customerId, ref);
  if (!target) return null;
  const [newer] = await db
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
    );
  return Math.floor((newer?.n ?? 0) / INTERACTIONS_PAGE_SIZE) + 1;
}
