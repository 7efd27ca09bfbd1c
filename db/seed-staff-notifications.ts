/**
 * Demo choices of email notifications (SPEC §12 "Each staff member chooses which they get"): the
 * demo agent also follows employee reports, the demo supervisor leaves out each new customer
 * concern (they watch the queue) and the demo admin takes every kind. Staff without a row keep
 * their role's defaults. Idempotent: a choice already stored is left as it is.
 */
import { eq } from "drizzle-orm";
import { ROLE_NOTIFICATIONS, type StaffNotificationKind } from "../app/domain/staff-notifications.server";
import type { Db } from "../app/utils/db.server";
import { staffNotificationChoices, staffUsers } from "./schema";

const DEMO_CHOICES: Record<string, { on: readonly StaffNotificationKind[] }> = {
  "agent@nordlys.example": { on: ["employee_report", "assigned", "deadline_soon", "deadline_passed", "training_expiring"] },
  "supervisor@nordlys.example": { on: ["employee_report", "assigned", "deadline_soon", "deadline_passed", "serious_incident", "breach", "audit_overdue", "training_expiring", "monitoring_alert"] },
  "admin@nordlys.example": { on: ROLE_NOTIFICATIONS.admin.available },
};

/** Stores the demo staff members' notification choices (needs the demo staff: seedDemoStaff first). Resolves to the rows written. */
export async function seedStaffNotifications(db: Db, now: number = Date.now()): Promise<number> {
  let written = 0;
  for (const [email, { on }] of Object.entries(DEMO_CHOICES)) {
    const [staff] = await db.select({ id: staffUsers.id, role: staffUsers.role }).from(staffUsers).where(eq(staffUsers.email, email)).limit(1);
    if (!staff) continue;
    const role = staff.role === "admin" || staff.role === "supervisor" ? staff.role : "agent";
    for (const kind of ROLE_NOTIFICATIONS[role].available) {
      const rows = await db
        .insert(staffNotificationChoices)
        .values({ staffId: staff.id, kind, enabled: on.includes(kind), updatedAt: now })
        .onConflictDoNothing()
        .returning({ kind: staffNotificationChoices.kind });
      written += rows.length;
    }
  }
  return written;
}
