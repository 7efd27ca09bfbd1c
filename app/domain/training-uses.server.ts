/**
 * Training use, recorded as it happened (SPEC §11.4): which interactions went into which training
 * or evaluation dataset, accepted only for interactions that were eligible at their time and whose
 * customer has not opted out since. The ledger (`training_uses`) is append-only and what the
 * customer's timeline shows ("used to improve AI in dataset X on date").
 */
import { and, asc, eq, inArray, or } from "drizzle-orm";
import { choiceDefinitions, customers, interactionAi, interactions, preferences, trainingUses } from "../../db/schema";
import type { Db } from "../utils/db.server";
import { appendAudit } from "./audit.server";
import { TRAINING_KEY, type TrainingRefusal } from "./vocabulary";

export interface TrainingUsesResult {
  accepted: { source: string; ref: string; created: boolean }[];
  refused: { source: string; ref: string; reason: TrainingRefusal }[];
}

/** Items per lookup statement: 1,000 items cost a few statements per table, never one per item. */
const LOOKUP_CHUNK = 500;
/** Rows per insert statement (4 parameters each, far below either engine's limit). */
const INSERT_CHUNK = 250;

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

const keyOf = (source: string, ref: string) => JSON.stringify([source, ref]);

type Outcome = { interactionId: number } | { reason: TrainingRefusal };

/**
 * POST /api/v1/training-uses (SPEC §11.4): records that `interactions` (by the reporting system's
 * `source` and `ref`) went into `dataset` at `usedAt` (ms since epoch, UTC), by API key `keyId`.
 * `now` (ms) stamps the rows and the audit entry.
 *
 * Each item, first match wins: no such interaction → refused `unknown_interaction` (an erased
 * customer's interactions are deleted, so they land here too); its customer is erased →
 * `customer_erased`; none of its AI involvement was eligible for training at the interaction's time
 * (`interaction_ai.training_eligible`, fixed when it was recorded: a later opt-in never makes the
 * past usable) → `not_eligible_at_the_time`; the customer's current training value (their own,
 * a recorded GPC objection included, else the choice's default) is not "yes" → `opted_out_since`
 * (an opt-out stops all future use, GDPR Art. 7(3), Art. 21); else accepted. An accepted item is
 * one `training_uses` row per interaction and dataset: sent again (in this call or a later one) it
 * is accepted with `created: false` and nothing is written.
 *
 * The rows and one audit entry (actor api:<keyId>, action api.training-uses.create, target the
 * dataset, with counts) commit in one transaction. Lookups are batched. Answers list the items in
 * the order given (a repeated item appears again). Throws only on storage errors.
 */
export async function recordTrainingUses(
  db: Db,
  keyId: number,
  input: { dataset: string; usedAt: number; interactions: { source: string; ref: string }[]; now?: number },
): Promise<TrainingUsesResult> {
  const now = input.now ?? Date.now();
  const unique = new Map<string, { key: string; source: string; ref: string }>();
  for (const { source, ref } of input.interactions) unique.set(keyOf(source, ref), { key: keyOf(source, ref), source, ref });
  const items = [...unique].map(([, item]) => item);

  return db.transaction(async (tx) => {
    const found = new Map<string, { id: number; customerId: string }>();
    const foundRows: { id: number; customerId: string }[] = [];
    for (const part of chunks(items, LOOKUP_CHUNK)) {
      const refsBySource = new Map<string, string[]>();
      for (const { source, ref } of part) {
        const refs = refsBySource.get(source);
        if (refs) refs.push(ref);
        else refsBySource.set(source, [ref]);
      }
      const rows = await tx
        .select({ id: interactions.id, customerId: interactions.customerId, source: interactions.source, ref: interactions.ref })
        .from(interactions)
        .where(or(...[...refsBySource].map(([source, refs]) => and(eq(interactions.source, source), inArray(interactions.ref, refs)))));
      for (const row of rows) {
        found.set(keyOf(row.source, row.ref), row);
        foundRows.push(row);
      }
    }

    const interactionIds = foundRows.map((f) => f.id);
    const customerIds = [...new Set(foundRows.map((f) => f.customerId))];
    const erased = new Set<string>();
    const ownTraining = new Map<string, string>();
    for (const part of chunks(customerIds, LOOKUP_CHUNK)) {
      const rows = await tx.select({ id: customers.id, erasedAt: customers.erasedAt }).from(customers).where(inArray(customers.id, part));
      for (const row of rows) if (row.erasedAt !== null) erased.add(row.id);
      const chosen = await tx
        .select({ customerId: preferences.customerId, value: preferences.value })
        .from(preferences)
        .where(and(inArray(preferences.customerId, part), eq(preferences.choiceKey, TRAINING_KEY)));
      for (const row of chosen) ownTraining.set(row.customerId, row.value);
    }
    const eligible = new Set<number>();
    for (const part of chunks(interactionIds, LOOKUP_CHUNK)) {
      const rows = await tx
        .selectDistinct({ id: interactionAi.interactionId })
        .from(interactionAi)
        .where(and(inArray(interactionAi.interactionId, part), eq(interactionAi.trainingEligible, true)));
      for (const row of rows) eligible.add(row.id);
    }
    const [definition] = await tx.select({ value: choiceDefinitions.defaultValue }).from(choiceDefinitions).where(eq(choiceDefinitions.key, TRAINING_KEY)).limit(1);
    // Without a definition nobody could have said yes: fail closed.
    const trainingDefault = definition?.value ?? "no";

    const outcomes = new Map<string, Outcome>();
    for (const { key } of items) {
      const interaction = found.get(key);
      if (!interaction) outcomes.set(key, { reason: "unknown_interaction" });
      else if (erased.has(interaction.customerId)) outcomes.set(key, { reason: "customer_erased" });
      else if (!eligible.has(interaction.id)) outcomes.set(key, { reason: "not_eligible_at_the_time" });
      else if ((ownTraining.get(interaction.customerId) ?? trainingDefault) !== "yes") outcomes.set(key, { reason: "opted_out_since" });
      else outcomes.set(key, { interactionId: interaction.id });
    }

    const toRecord = items.flatMap(({ key }) => {
      const outcome = outcomes.get(key)!;
      return "interactionId" in outcome ? [outcome.interactionId] : [];
    });
    const created = new Set<number>();
    for (const part of chunks(toRecord, INSERT_CHUNK)) {
      // The unique index (interaction, dataset) keeps one row per use, also under concurrent calls.
      const inserted = await tx
        .insert(trainingUses)
        .values(part.map((interactionId) => ({ interactionId, dataset: input.dataset, usedAt: input.usedAt, apiKeyId: keyId, createdAt: now })))
        .onConflictDoNothing({ target: [trainingUses.interactionId, trainingUses.dataset] })
        .returning({ interactionId: trainingUses.interactionId });
      for (const row of inserted) created.add(row.interactionId);
    }
    const createdCount = created.size;

    const result: TrainingUsesResult = { accepted: [], refused: [] };
    for (const { source, ref } of input.interactions) {
      const outcome = outcomes.get(keyOf(source, ref))!;
      if ("reason" in outcome) {
        result.refused.push({ source, ref, reason: outcome.reason });
      } else {
        // A repeated item was written (at most) once: only its first mention says created.
        result.accepted.push({ source, ref, created: created.delete(outcome.interactionId) });
      }
    }

    await appendAudit(tx, {
      actor: { type: "api", id: keyId },
      action: "api.training-uses.create",
      target: { type: "dataset", id: input.dataset },
      details: { usedAt: input.usedAt, items: input.interactions.length, accepted: result.accepted.length, created: createdCount, refused: result.refused.length },
      now,
    });
    return result;
  });
}

/**
 * The training uses of these interactions (for the customer's timeline, SPEC §11.4), oldest use
 * first: interaction id, dataset name, `usedAt` in ms since epoch (UTC). Unknown ids give nothing.
 */
export async function trainingUsesForInteractions(db: Db, interactionIds: number[]): Promise<{ interactionId: number; dataset: string; usedAt: number }[]> {
  const ids = [...new Set(interactionIds)];
  const out: { interactionId: number; dataset: string; usedAt: number }[] = [];
  for (const part of chunks(ids, LOOKUP_CHUNK)) {
    out.push(
      ...(await db
        .select({ interactionId: trainingUses.interactionId, dataset: trainingUses.dataset, usedAt: trainingUses.usedAt })
        .from(trainingUses)
        .where(inArray(trainingUses.interactionId, part))
        .orderBy(asc(trainingUses.usedAt), asc(trainingUses.id))),
    );
  }
  // Chunks are each in order; across chunks, sort (stable: ties keep id order within a chunk).
  return ids.length > LOOKUP_CHUNK ? out.sort((a, b) => a.usedAt - b.usedAt) : out;
}
