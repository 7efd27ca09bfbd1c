import { randomUUID } from "node:crypto";
import { and, eq, inArray } from "drizzle-orm";
import { aiSystemActions, aiSystems, choiceDefinitions, decisions, interactions, preferences } from "../../db/schema";
import type { Db } from "../utils/db.server";
import { findCustomer } from "./customers.server";

export type DecisionValue = "allow" | "ask" | "deny";
export type Decision = typeof decisions.$inferSelect;

const DECISION_FOR_PREFERENCE: Record<string, DecisionValue> = { allow: "allow", ask: "ask", never: "deny" };

/**
 * The check an AI agent makes before a proactive action. Fails closed: an unknown customer,
 * action or AI system — or a system not registered for that action — is a "deny" with a reason;
 * an "allow" given under an older notice of the choice is only an "ask" until reconfirmed.
 * Every answer is recorded (append-only).
 * The API's lean handler (issue 4) will use prepared statements for the same rules.
 */
export function decide(
  db: Db,
  input: { customerId: string; actionKey: string; aiSystemSlug: string; interactionRef?: string | null; now?: number },
): Decision {
  const now = input.now ?? Date.now();
  return db.transaction(
    (tx) => {
      const customer = findCustomer(tx, input.customerId);
      const definition = tx
        .select()
        .from(choiceDefinitions)
        .where(and(eq(choiceDefinitions.key, input.actionKey), eq(choiceDefinitions.kind, "action")))
        .get();
      const system = tx.select().from(aiSystems).where(eq(aiSystems.slug, input.aiSystemSlug)).get();
      const registered =
        system && definition
          ? tx
              .select()
              .from(aiSystemActions)
              .where(and(eq(aiSystemActions.systemId, system.id), eq(aiSystemActions.choiceKey, definition.key)))
              .get()
          : undefined;
      let decision: DecisionValue = "deny";
      let reason = "unknown_customer";
      if (customer && !definition) reason = "unknown_action";
      else if (customer && (!system || system.status !== "active")) reason = "unknown_ai_system";
      else if (customer && !registered) reason = "action_not_registered";
      else if (customer && definition) {
        const preference = tx
          .select()
          .from(preferences)
          .where(and(eq(preferences.customerId, customer.id), eq(preferences.choiceKey, definition.key)))
          .get();
        const value = preference?.value ?? definition.defaultValue;
        decision = DECISION_FOR_PREFERENCE[value] ?? "deny";
        reason = preference ? `preference_${value}` : `default_${value}`;
        if (preference && preference.noticeVersion < definition.noticeVersion && decision === "allow") {
          decision = "ask";
          reason = "needs_reconfirmation";
        }
      }
      const interaction =
        customer && input.interactionRef
          ? tx
              .select({ id: interactions.id })
              .from(interactions)
              .where(and(eq(interactions.customerId, customer.id), eq(interactions.ref, input.interactionRef)))
              .get()
          : undefined;
      return tx
        .insert(decisions)
        .values({
          id: randomUUID(),
          customerId: input.customerId,
          actionKey: input.actionKey,
          aiSystemSlug: input.aiSystemSlug,
          interactionId: interaction?.id ?? null,
          decision,
          reason,
          preferenceVersion: customer?.preferenceVersion ?? 0,
          createdAt: now,
        })
        .returning()
        .get();
    },
    { behavior: "immediate" },
  );
}

export function decisionsForInteractions(db: Db, interactionIds: number[]): Decision[] {
  if (interactionIds.length === 0) return [];
  return db.select().from(decisions).where(inArray(decisions.interactionId, interactionIds)).all();
}
