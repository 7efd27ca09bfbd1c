/** Test data for the training ledger (SPEC §11.4): customers with a training choice, interactions with AI involvement. */
import { eq } from "drizzle-orm";
import { upsertCustomer } from "../../app/domain/customers.server";
import { recordInteraction } from "../../app/domain/interactions.server";
import { savePreferences } from "../../app/domain/preferences.server";
import type { Db } from "../../app/utils/db.server";
import { aiSystems, interactionAi, interactions } from "../../db/schema";

export const DAY = 24 * 60 * 60 * 1000;
/** A fixed start: every test's timeline is T0 + n days. */
export const T0 = Date.UTC(2026, 0, 5, 9);

/** A customer (created if new) whose training value is `training` from `at` (ms) on; no value: the default. */
export async function trainingCustomer(db: Db, id: string, training?: "yes" | "no", at = T0): Promise<void> {
  await upsertCustomer(db, { id, locale: "en" });
  if (training) await setTraining(db, id, training, at);
}

/** The customer changes their training choice at `at` (ms), in the portal. */
export async function setTraining(db: Db, customerId: string, value: "yes" | "no", at: number): Promise<void> {
  await savePreferences(db, { customerId, values: { training: value }, lang: "en", method: "portal", now: at });
}

async function systemId(db: Db, slug = "chat-assistant"): Promise<number> {
  const [system] = await db.select({ id: aiSystems.id }).from(aiSystems).where(eq(aiSystems.slug, slug)).limit(1);
  if (!system) throw new Error(`No AI system ${slug} in the seed`);
  return system.id;
}

/**
 * Records an interaction through the domain (eligibility fixed from the customer's choice at
 * `occurredAt`); `reported`: the reporting system's training flag of its one AI involvement
 * (false for every involvement when `ai` is 0 → no AI involvement at all).
 */
export async function interactionFor(
  db: Db,
  input: { customerId: string; ref: string; occurredAt: number; source?: string; reported?: boolean; ai?: number },
): Promise<number> {
  const id = await systemId(db);
  const { id: interactionId } = await recordInteraction(db, {
    customerId: input.customerId,
    source: input.source ?? "test",
    ref: input.ref,
    channel: "chat",
    subject: `Chat ${input.ref}`,
    occurredAt: input.occurredAt,
    ai: Array.from({ length: input.ai ?? 1 }, () => ({ systemId: id, role: "answered" as const, humanReviewed: false, trainingEligible: input.reported ?? true })),
  });
  return interactionId;
}

/**
 * Many interactions at once (direct inserts, a few statements): `count` interactions of
 * `customerId` from `source`, refs `<prefix>-<n>`, each with one AI involvement whose stored
 * eligibility is `eligible`. Returns their refs.
 */
export async function bulkInteractions(db: Db, input: { customerId: string; source: string; prefix: string; count: number; eligible: boolean }): Promise<string[]> {
  const id = await systemId(db);
  const refs = Array.from({ length: input.count }, (_, n) => `${input.prefix}-${n}`);
  for (let i = 0; i < refs.length; i += 200) {
    const part = refs.slice(i, i + 200);
    const rows = await db
      .insert(interactions)
      .values(part.map((ref) => ({ customerId: input.customerId, source: input.source, ref, channel: "chat", subject: `Chat ${ref}`, occurredAt: T0, createdAt: T0 })))
      .returning({ id: interactions.id });
    await db
      .insert(interactionAi)
      .values(rows.map((row) => ({ interactionId: row.id, systemId: id, role: "answered", humanReviewed: false, trainingEligible: input.eligible, trainingReported: input.eligible })));
  }
  return refs;
}
