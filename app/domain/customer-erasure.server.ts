/**
 * GDPR erasure (Art. 17) of one customer. Removes every piece of personal data Candor holds —
 * email, choices and consent events, sessions and personal links, interactions (with their AI
 * involvement), the free text of their concerns and of the messages on them, and notification
 * emails addressed to them — and leaves the customer row as a tombstone (`erased_at` set, no
 * email), so the id cannot silently come back and statistics keep their shape. Decision records
 * (codes only) stay as the append-only record of what agents were told. One IMMEDIATE transaction
 * with an audit entry that carries ids and counts only.
 */
import { eq, inArray, or, sql } from "drizzle-orm";
import {
  concernMessages,
  concerns,
  consentEvents,
  customers,
  customerSessions,
  interactions,
  linkTokens,
  outboxEmails,
  preferences,
} from "../../db/schema";
import type { Db } from "../utils/db.server";
import { appendAudit, type AuditActor } from "./audit.server";

export type ErasureResult = { status: "erased"; concerns: number; interactions: number } | { status: "unknown" | "already_erased" };

export function eraseCustomer(db: Db, input: { customerId: string; actor: AuditActor; now?: number }): ErasureResult {
  const now = input.now ?? Date.now();
  return db.transaction(
    (tx): ErasureResult => {
      const customer = tx.select().from(customers).where(eq(customers.id, input.customerId)).get();
      if (!customer) return { status: "unknown" };
      if (customer.erasedAt) return { status: "already_erased" };
      const id = customer.id;
      const concernIds = tx.select({ id: concerns.id }).from(concerns).where(eq(concerns.customerId, id)).all().map((c) => c.id);
      if (concernIds.length > 0) {
        tx.update(concernMessages).set({ body: "" }).where(inArray(concernMessages.concernId, concernIds)).run();
        tx.update(concerns)
          .set({ description: "", desiredOutcome: "", contactEmail: null, outcomeReason: null, updatedAt: now })
          .where(inArray(concerns.id, concernIds))
          .run();

        // The search form keeps only the reference (ASCII: lower() folds it as searchKey would).
        tx.update(concerns).set({ searchText: sql`lower(${concerns.ref})` }).where(inArray(concerns.id, concernIds)).run();
      }
      const mailTo = customer.email ? eq(outboxEmails.toAddress, customer.email) : undefined;
      const mailFor = concernIds.length > 0 ? inArray(outboxEmails.concernId, concernIds) : undefined;
      if (mailTo || mailFor) tx.delete(outboxEmails).where(or(mailTo, mailFor)).run();
      const erasedInteractions = tx.delete(interactions).where(eq(interactions.customerId, id)).returning({ id: interactions.id }).all().length;
      tx.delete(customerSessions).where(eq(customerSessions.customerId, id)).run();
      tx.delete(linkTokens).where(eq(linkTokens.customerId, id)).run();
      tx.delete(preferences).where(eq(preferences.customerId, id)).run();
      tx.delete(consentEvents).where(eq(consentEvents.customerId, id)).run();
      tx.update(customers).set({ email: null, locale: "en", erasedAt: now, updatedAt: now }).where(eq(customers.id, id)).run();
      appendAudit(tx, {
        actor: input.actor,
        action: "customer.erased",
        target: { type: "customer", id },
        details: { concerns: concernIds.length, interactions: erasedInteractions },
        now,
      });
      return { status: "erased", concerns: concernIds.length, interactions: erasedInteractions };
    },
    { behavior: "immediate" },
  );
}
