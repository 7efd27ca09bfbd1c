/** Test data for permission breaches (SPEC §11.5): decision records and interactions whose AI acted. */
import { randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import { recordInteraction } from "../../app/domain/interactions.server";
import type { Db } from "../../app/utils/db.server";
import { aiSystems, decisions } from "../../db/schema";

/**
 * Stores a decision record as POST /decisions would have (no rules applied: the test says what it
 * was). Default: an `allow` for `demo-customer-1`, troubleshooting by network-troubleshooter, made now.
 * Resolves to its id.
 */
export async function decisionFor(
  db: Db,
  overrides: Partial<Pick<typeof decisions.$inferInsert, "customerId" | "actionKey" | "aiSystemSlug" | "decision" | "reason" | "createdAt">> = {},
): Promise<string> {
  const id = randomUUID();
  await db.insert(decisions).values({
    id,
    customerId: "demo-customer-1",
    actionKey: "troubleshooting",
    aiSystemSlug: "network-troubleshooter",
    decision: "allow",
    reason: "preference_allow",
    preferenceVersion: 1,
    createdAt: Date.now(),
    ...overrides,
  });
  return id;
}

export async function systemIdOf(db: Db, slug: string): Promise<number> {
  const [system] = await db.select({ id: aiSystems.id }).from(aiSystems).where(eq(aiSystems.slug, slug)).limit(1);
  if (!system) throw new Error(`No AI system ${slug} in the test database`);
  return system.id;
}

/**
 * Records an interaction in which one AI acted, naming `decisionId` (default: none). Defaults:
 * `demo-customer-1`, source "test", troubleshooting by network-troubleshooter, happened now.
 */
export async function actedInteraction(
  db: Db,
  input: { ref: string; decisionId?: string | null; customerId?: string; actionKey?: string; system?: string; occurredAt?: number; source?: string },
) {
  return recordInteraction(db, {
    customerId: input.customerId ?? "demo-customer-1",
    source: input.source ?? "test",
    ref: input.ref,
    channel: "chat",
    subject: `Support chat ${input.ref}`,
    occurredAt: input.occurredAt ?? Date.now(),
    ai: [
      {
        systemId: await systemIdOf(db, input.system ?? "network-troubleshooter"),
        role: "acted",
        actionKey: input.actionKey ?? "troubleshooting",
        actionDetail: "Restarted the line",
        humanReviewed: false,
        trainingEligible: false,
        decisionId: input.decisionId ?? null,
      },
    ],
  });
}
