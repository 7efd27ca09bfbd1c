/** Test data for staff notifications (SPEC §12 "Staff are told") and the console start page. */
import { randomUUID } from "node:crypto";
import { and, eq, like } from "drizzle-orm";
import type { StaffRole } from "../../app/domain/permissions";
import type { Db } from "../../app/utils/db.server";
import { concerns, outboxEmails, staffNotificationChoices, staffUsers } from "../../db/schema";

/**
 * A staff member written directly (no password hashing: these tests never sign them in). Default:
 * an English-speaking agent with a unique address. Resolves to the row.
 */
export async function staffFor(db: Db, overrides: Partial<Pick<typeof staffUsers.$inferInsert, "role" | "locale" | "name" | "disabledAt">> & { role?: StaffRole } = {}) {
  const now = Date.now();
  const [row] = await db
    .insert(staffUsers)
    .values({
      email: `staff-${randomUUID()}@nordlys.example`,
      name: overrides.name ?? "Test Staff",
      role: overrides.role ?? "agent",
      locale: overrides.locale ?? "en",
      disabledAt: overrides.disabledAt ?? null,
      passwordHash: "not-a-hash",
      createdAt: now,
      updatedAt: now,
    })
    .returning();
  return row!;
}

/** Sets one choice of a staff member as the choices page would store it. */
export async function chooseNotification(db: Db, staffId: number, kind: string, enabled: boolean): Promise<void> {
  await db
    .insert(staffNotificationChoices)
    .values({ staffId, kind, enabled, updatedAt: Date.now() })
    .onConflictDoUpdate({ target: [staffNotificationChoices.staffId, staffNotificationChoices.kind], set: { enabled } });
}

/** The staff emails queued to one address (template staff_<kind>), oldest first. */
export async function staffEmailsTo(db: Db, address: string, kind?: string) {
  return db
    .select()
    .from(outboxEmails)
    .where(and(eq(outboxEmails.toAddress, address), like(outboxEmails.template, kind ? `staff_${kind}` : "staff_%")))
    .orderBy(outboxEmails.id);
}

/** Moves a concern's clocks: its SLA due date (the queue's `due_at` follows it) and its filing time. */
export async function setConcernTimes(db: Db, ref: string, times: { slaDueAt?: number | null; createdAt?: number; assigneeId?: number | null }): Promise<void> {
  await db.update(concerns).set(times).where(eq(concerns.ref, ref));
}
