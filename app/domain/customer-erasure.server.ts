/**
 * GDPR erasure (Art. 17) of one customer. Removes every piece of personal data Candor holds —
 * email, choices and consent events, sessions and personal links, interactions (with their AI
 * involvement), the free text of their concerns and of the messages on them (also of concerns
 * filed anonymously with their email address), and notification emails addressed to them — and
 * leaves the customer row as a tombstone (`erased_at` set, no email), so the id cannot silently
 * come back and statistics keep their shape. Decision records (codes only) stay as the
 * append-only record of what agents were told. One IMMEDIATE transaction with an audit entry
 * that carries ids and counts only; then the write-ahead log is truncated so that, with
 * `secure_delete` on every connection, no byte of the erased data remains in the database files.
 */
import { and, eq, inArray, isNull, or, sql, type SQL } from "drizzle-orm";
import type { SQLiteColumn } from "drizzle-orm/sqlite-core";
import {
  concernMessages,
  concerns,
  consentEvents,
  customers,
  customerSessions,
  idempotencyKeys,
  interactions,
  linkTokens,
  outboxEmails,
  preferences,
} from "../../db/schema";
import { truncateWal, type Connection } from "../utils/db.server";
import { appendAudit, type AuditActor } from "./audit.server";

export type ErasureResult = { status: "erased"; concerns: number; interactions: number } | { status: "unknown" | "already_erased" };

/** `column` holds `address`, ignoring case and surrounding spaces (`address` already normalised). */
function sameAddress(column: SQLiteColumn, address: string): SQL {
  return sql`lower(trim(${column})) = ${address}`;
}

/**
 * Erases the customer `customerId` (the company's id). `db` must be the connection, not a
 * transaction (the log is truncated after the commit). `now`: ms since the epoch. Returns the
 * number of concerns (own and anonymous ones with the same email) and interactions erased, or
 * `unknown` / `already_erased`. Raises only on database errors.
 */
export function eraseCustomer(db: Connection, input: { customerId: string; actor: AuditActor; now?: number }): ErasureResult {
  const now = input.now ?? Date.now();
  const result = db.transaction(
    (tx): ErasureResult => {
      const customer = tx.select().from(customers).where(eq(customers.id, input.customerId)).get();
      if (!customer) return { status: "unknown" };
      if (customer.erasedAt) return { status: "already_erased" };
      const id = customer.id;
      const address = customer.email?.trim().toLowerCase() || null;
      // Their own concerns, and those filed without an account from their email address.
      const anonymousFromAddress = address ? and(isNull(concerns.customerId), sameAddress(concerns.contactEmail, address)) : undefined;
      const concernIds = tx
        .select({ id: concerns.id })
        .from(concerns)
        .where(or(eq(concerns.customerId, id), anonymousFromAddress))
        .all()
        .map((c) => c.id);
      if (concernIds.length > 0) {
        tx.update(concernMessages).set({ body: "" }).where(inArray(concernMessages.concernId, concernIds)).run();
        tx.update(concerns)
          .set({ description: "", desiredOutcome: "", contactEmail: null, outcomeReason: null, trackingTokenHash: null, updatedAt: now })
          .where(inArray(concerns.id, concernIds))
          .run();

        // The search form keeps only the reference (ASCII: lower() folds it as searchKey would).
        tx.update(concerns).set({ searchText: sql`lower(${concerns.ref})` }).where(inArray(concerns.id, concernIds)).run();
      }
      if (address) {
        // Someone else's concern that named this address for replies keeps its text, not the address.
        tx.update(concerns).set({ contactEmail: null, updatedAt: now }).where(sameAddress(concerns.contactEmail, address)).run();
        // Stored API answers that carried the address (e.g. a replayed customer upsert).
        tx.delete(idempotencyKeys).where(sql`instr(lower(${idempotencyKeys.response}), ${address}) > 0`).run();
      }
      const mailTo = address ? sameAddress(outboxEmails.toAddress, address) : undefined;
      const mailFor = concernIds.length > 0 ? inArray(outboxEmails.concernId, concernIds) : undefined;
      if (mailTo || mailFor) tx.delete(outboxEmails).where(or(mailTo, mailFor)).run();
      const erasedInteractions = tx.delete(interactions).where(eq(interactions.customerId, id)).returning({ id: interactions.id }).all().length;
      tx.delete(customerSessions).where(eq(customerSessions.customerId, id)).run();
      // Redemptions go with their links (ON DELETE CASCADE).
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
  if (result.status === "erased" && !truncateWal(db.$client)) {
    console.warn("Erasure: another connection kept the write-ahead log from being truncated; older pages stay in it until the next checkpoint.");
  }
  return result;
}
