/** Test data for monitoring of AI behaviour (SPEC §12): the append-only records the weekly figures are built from. */
import { randomUUID } from "node:crypto";
import type { Db } from "../../app/utils/db.server";
import { aiSystems, aiSystemTexts, concerns, confirmationAnswers, confirmations, customers, decisions, interactionAi, interactions, permissionBreaches } from "../../db/schema";

let counter = 0;
const next = () => `${Date.now().toString(36)}-${++counter}`;

/** A registered AI system with an English name; resolves to its id and slug. */
export async function monitoredSystem(db: Db, name = "Monitor Probe"): Promise<{ id: number; slug: string }> {
  const slug = `monitor-${next()}`;
  const [row] = await db
    .insert(aiSystems)
    .values({ slug, provider: "Test", riskClass: "limited", autonomy: "acts", channels: ["chat"], contactEmail: "ai@example.com", lastReviewedAt: 0, updatedAt: 0 })
    .returning({ id: aiSystems.id });
  const text = { shortDescription: "-", riskReason: "-", purpose: "-", notFor: "-", howItWorks: "-", limitations: "-", dataOperating: "-", dataTraining: "-", legalBasis: "-", oversight: "-", risks: "-", impactAssessment: "-", retention: "-" };
  await db.insert(aiSystemTexts).values({ systemId: row!.id, lang: "en", name, ...text });
  return { id: row!.id, slug };
}

/** A customer for the records that need one. */
export async function monitoredCustomer(db: Db): Promise<string> {
  const id = `monitor-customer-${next()}`;
  await db.insert(customers).values({ id, updatedAt: 0 });
  return id;
}

/** `n` decision records of one system, answer and reason at `at` (ms). */
export async function monitoredDecisions(db: Db, slug: string, n: number, at: number, decision: "allow" | "ask" | "deny" = "allow", reason = "preference_allow") {
  const rows = Array.from({ length: n }, () => ({ id: randomUUID(), customerId: "monitor-anyone", actionKey: "plan-changes", aiSystemSlug: slug, decision, reason, preferenceVersion: 1, createdAt: at }));
  for (let i = 0; i < rows.length; i += 200) await db.insert(decisions).values(rows.slice(i, i + 200));
}

/** A confirmation request of one system and its answer at `at`. */
export async function monitoredAnswer(db: Db, slug: string, customerId: string, answer: "approved" | "declined" | "expired", at: number) {
  const id = randomUUID();
  await db.insert(confirmations).values({ id, customerId, actionKey: "plan-changes", aiSystemSlug: slug, summary: JSON.stringify({ en: "Change the plan" }), expiresAt: at, createdAt: at - 60_000 });
  await db.insert(confirmationAnswers).values({ confirmationId: id, customerId, answer, method: answer === "expired" ? "system" : "portal", lang: "en", createdAt: at });
}

/**
 * An interaction at `occurredAt` in which each listed involvement of a system took part (reviewed:
 * checked by a person); `breach` adds a permission breach for the first involvement. Resolves to the interaction id.
 */
export async function monitoredInteraction(
  db: Db,
  customerId: string,
  occurredAt: number,
  involvements: { systemId: number; reviewed: boolean }[],
  breach?: { detectedAt: number },
): Promise<number> {
  const [row] = await db
    .insert(interactions)
    .values({ customerId, source: "monitor", ref: `m-${next()}`, channel: "chat", subject: "-", occurredAt })
    .returning({ id: interactions.id });
  const ai = await db
    .insert(interactionAi)
    .values(involvements.map((i) => ({ interactionId: row!.id, systemId: i.systemId, role: "acted", actionKey: "plan-changes", humanReviewed: i.reviewed, trainingEligible: false })))
    .returning({ id: interactionAi.id });
  if (breach) {
    await db.insert(permissionBreaches).values({ interactionAiId: ai[0]!.id, interactionId: row!.id, customerId, systemId: involvements[0]!.systemId, actionKey: "plan-changes", reason: "decision_missing", detectedAt: breach.detectedAt });
  }
  return row!.id;
}

/** A concern about a system filed at `at` (optionally resolved with an outcome). */
export async function monitoredConcern(db: Db, systemId: number, at: number, extra: Partial<typeof concerns.$inferInsert> = {}): Promise<number> {
  const [row] = await db
    .insert(concerns)
    .values({ ref: `C-MON-${next()}`.toUpperCase(), contactMethod: "portal", lang: "en", kind: "explanation", systemId, description: "Monitoring test concern", desiredOutcome: "", createdAt: at, updatedAt: at, ...extra })
    .returning({ id: concerns.id });
  return row!.id;
}
