/**
 * GDPR erasure (Art. 17) of one customer. Removes every piece of personal data Candor holds —
 * email, choices and consent events, sessions and personal links, interactions (with their AI
 * involvement), the free text of their concerns and of the messages on them (also of concerns
 * filed anonymously with their email address), notification emails addressed to them, the
 * confirmation requests agents sent them (with their answers and summaries), permission breaches
 * and training uses of their interactions — and leaves the customer row as a tombstone
 * (`erased_at` set, no email), so the id cannot silently come back and statistics keep their
 * shape. Decision records stay as the append-only record of what agents were told, as codes only:
 * the context an agent described (amount, channel, time, identity check) is cleared. One transaction (IMMEDIATE on SQLite) with an
 * audit entry that carries ids and counts only; then, on SQLite, the write-ahead log is truncated
 * so that, with `secure_delete` on every connection, no byte of the erased data remains in the
 * database files.
 */
import { and, eq, inArray, isNotNull, isNull, or, sql, type SQL } from "drizzle-orm";
import type { SQLiteColumn } from "drizzle-orm/sqlite-core";
import {
  concernMessages,
  concerns,
  confirmationAnswers,
  confirmations,
  consentEvents,
  customers,
  customerSessions,
  decisions,
  idempotencyKeys,
  interactions,
  linkTokens,
  outboxEmails,
  permissionBreaches,
  preferences,
  trainingUses,
} from "../../db/schema";
import { engineOf, executeSql, forEngine, type Db } from "../utils/db.server";
import { appendAudit, type AuditActor } from "./audit.server";
import { log } from "../utils/log.server";

export type ErasureResult = { status: "erased"; concerns: number; interactions: number } | { status: "unknown" | "already_erased" };

/** `column` holds `address`, ignoring case and surrounding spaces (`address` already normalised). */
function sameAddress(column: SQLiteColumn, address: string): SQL {
  return sql`lower(trim(${column})) = ${address}`;
}

/** `column`'s text, lower-cased, contains `needle` (already lower-case). */
function containsLower(db: Db, column: SQLiteColumn, needle: string): SQL {
  return forEngine(db, {
    sqlite: () => sql`instr(lower(${column}), ${needle}) > 0`,
    postgres: () => sql`strpos(lower(${column}), ${needle}) > 0`,
  });
}

/**
 * SQLite only: checkpoints the write-ahead log and truncates it (what `truncateWal` does on the
 * raw client), so no older page with the erased data stays in the `-wal` file. False when a
 * reader kept the checkpoint from completing.
 */
async function checkpointWal(db: Db): Promise<boolean> {
  // Through the port's raw-SQL door rather than the better-sqlite3 client: it then waits behind the
  // write gate like any statement, so it never runs inside another request's open transaction.
  // Other connections (page threads) may be reading: try again for a while, off the event loop
  // (a connection that yields when busy gets its answer at once instead of waiting in SQLite).
  const deadline = Date.now() + CHECKPOINT_PATIENCE_MS;
  for (;;) {
    const [result] = await executeSql<{ busy: number }>(db, sql`pragma wal_checkpoint(TRUNCATE)`);
    if (result?.busy === 0) return true;
    if (Date.now() >= deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** How long an erasure keeps trying to truncate the write-ahead log while other connections read (ms). */
const CHECKPOINT_PATIENCE_MS = 2_000;

/**
 * Erases the customer `customerId` (the company's id). `db` must be the database handle, not a
 * transaction (on SQLite the log is truncated after the commit; PostgreSQL reuses the dead
 * rows' space through VACUUM). `now`: ms since the epoch. Resolves to the number of concerns
 * (own and anonymous ones with the same email) and interactions erased, or `unknown` /
 * `already_erased`. Rejects only on database errors.
 */
export async function eraseCustomer(db: Db, input: { customerId: string; actor: AuditActor; now?: number }): Promise<ErasureResult> {
  const now = input.now ?? Date.now();
  const result = await db.transaction(async (tx): Promise<ErasureResult> => {
    const [customer] = await tx.select().from(customers).where(eq(customers.id, input.customerId)).limit(1);
    if (!customer) return { status: "unknown" };
    if (customer.erasedAt) return { status: "already_erased" };
    const id = customer.id;
    const address = customer.email?.trim().toLowerCase() || null;
    // Their own concerns, and those filed without an account from their email address.
    const anonymousFromAddress = address ? and(isNull(concerns.customerId), sameAddress(concerns.contactEmail, address)) : undefined;
    const concernIds = (
      await tx
        .select({ id: concerns.id })
        .from(concerns)
        .where(or(eq(concerns.customerId, id), anonymousFromAddress))
    ).map((c) => c.id);
    if (concernIds.length > 0) {
      await tx.update(concernMessages).set({ body: "" }).where(inArray(concernMessages.concernId, concernIds));
      await tx
        .update(concerns)
        .set({ description: "", desiredOutcome: "", contactEmail: null, outcomeReason: null, trackingTokenHash: null, updatedAt: now })
        .where(inArray(concerns.id, concernIds));

      // The search form keeps only the reference (ASCII: lower() folds it as searchKey would).
      await tx.update(concerns).set({ searchText: sql`lower(${concerns.ref})` }).where(inArray(concerns.id, concernIds));
    }
    if (address) {
      // Someone else's concern that named this address for replies keeps its text, not the address.
      await tx.update(concerns).set({ contactEmail: null, updatedAt: now }).where(sameAddress(concerns.contactEmail, address));
      // Stored API answers that carried the address (e.g. a replayed customer upsert).
      await tx.delete(idempotencyKeys).where(containsLower(tx, idempotencyKeys.response, address));
    }
    const mailTo = address ? sameAddress(outboxEmails.toAddress, address) : undefined;
    const mailFor = concernIds.length > 0 ? inArray(outboxEmails.concernId, concernIds) : undefined;
    if (mailTo || mailFor) await tx.delete(outboxEmails).where(or(mailTo, mailFor));
    const confirmationIds = (await tx.select({ id: confirmations.id }).from(confirmations).where(eq(confirmations.customerId, id))).map((c) => c.id);
    if (confirmationIds.length > 0) await tx.delete(confirmationAnswers).where(inArray(confirmationAnswers.confirmationId, confirmationIds));
    await tx.delete(confirmations).where(eq(confirmations.customerId, id));
    await tx.delete(permissionBreaches).where(eq(permissionBreaches.customerId, id));
    await tx.delete(trainingUses).where(inArray(trainingUses.interactionId, tx.select({ id: interactions.id }).from(interactions).where(eq(interactions.customerId, id))));
    await tx.update(decisions).set({ context: null }).where(and(eq(decisions.customerId, id), isNotNull(decisions.context)));
    const erasedInteractions = (await tx.delete(interactions).where(eq(interactions.customerId, id)).returning({ id: interactions.id })).length;
    await tx.delete(customerSessions).where(eq(customerSessions.customerId, id));
    // Redemptions go with their links (ON DELETE CASCADE).
    await tx.delete(linkTokens).where(eq(linkTokens.customerId, id));
    await tx.delete(preferences).where(eq(preferences.customerId, id));
    await tx.delete(consentEvents).where(eq(consentEvents.customerId, id));
    await tx.update(customers).set({ email: null, locale: "en", erasedAt: now, updatedAt: now }).where(eq(customers.id, id));
    await appendAudit(tx, {
      actor: input.actor,
      action: "customer.erased",
      target: { type: "customer", id },
      details: { concerns: concernIds.length, interactions: erasedInteractions, confirmations: confirmationIds.length },
      now,
    });
    return { status: "erased", concerns: concernIds.length, interactions: erasedInteractions };
  });
  if (result.status === "erased" && engineOf(db) === "sqlite" && !(await checkpointWal(db))) {
    log.warn({ event: "erasure.wal_not_truncated", note: "another connection kept the write-ahead log; older pages stay in it until the next checkpoint" });
  }
  return result;
}
