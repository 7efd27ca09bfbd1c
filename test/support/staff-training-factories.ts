/** Test data for AI-literacy trainings (SPEC §12, AI Act Art. 4): staff members with or without a current training. */
import { eq } from "drizzle-orm";
import { createStaffUser } from "../../app/domain/staff.server";
import type { Db } from "../../app/utils/db.server";
import { staffTrainings, staffUsers } from "../../db/schema";
import type { StaffRole } from "../../app/domain/permissions";

let counter = 0;

export const TRAINEE_PASSWORD = "long-enough-password-1";

/** A new active staff member (`role`, default agent) who can sign in with TRAINEE_PASSWORD. */
export async function newStaffMember(db: Db, role: StaffRole = "agent", name = `Trainee ${++counter}`): Promise<{ id: number; email: string }> {
  const email = `trainee-${Date.now()}-${++counter}@nordlys.example`;
  const { user } = await createStaffUser(db, { email, name, role, password: TRAINEE_PASSWORD }, { type: "system" });
  return { id: user.id, email };
}

/** A new active staff member's id (see newStaffMember). */
export async function newStaff(db: Db, role: StaffRole = "agent", name?: string): Promise<number> {
  return (await newStaffMember(db, role, name)).id;
}

/** Writes a training row directly (not through the form under test): the last day it counts is `validUntil` ("YYYY-MM-DD" or null). */
export async function giveTraining(db: Db, staffId: number, training: { course?: string; completedOn?: string; validUntil: string | null }): Promise<number> {
  const [row] = await db
    .insert(staffTrainings)
    .values({ staffId, course: training.course ?? "AI literacy basics", completedOn: training.completedOn ?? "2020-01-01", validUntil: training.validUntil, evidenceNote: "", createdAt: 0, updatedAt: 0 })
    .returning({ id: staffTrainings.id });
  return row!.id;
}

/** The demo staff member with this e-mail's id. */
export async function staffIdByEmail(db: Db, email: string): Promise<number> {
  const [row] = await db.select({ id: staffUsers.id }).from(staffUsers).where(eq(staffUsers.email, email)).limit(1);
  return row!.id;
}

/** Removes every training of one staff member (the test's untrained person). */
export async function removeTrainings(db: Db, staffId: number): Promise<void> {
  await db.delete(staffTrainings).where(eq(staffTrainings.staffId, staffId));
}
