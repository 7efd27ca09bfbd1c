/**
 * Demo AI-literacy trainings (AI Act Art. 4, SPEC §12). The three demo staff accounts completed the
 * company's foundation course in January 2024 (it has no end date, so they may take concerns at any
 * instant tests pick from then on); the agent and the supervisor also took the yearly refresher —
 * the supervisor's runs out in 20 days (the console lists it as expiring). The story part adds a
 * fourth person, a new agent whose only training ran out five weeks ago: while "require training"
 * is on, Noor cannot claim or be assigned concerns until an admin records the refresher.
 * Rows are written directly (the seed is the system, not an admin); a person who already has a
 * training is left as they are, so seeding twice changes nothing.
 */
import { eq } from "drizzle-orm";
import { createStaffUser, findStaffByEmail } from "../app/domain/staff.server";
import { companyTimeZone } from "../app/domain/settings.server";
import { localDay } from "../app/utils/calendar";
import type { Db } from "../app/utils/db.server";
import { staffTrainings } from "./schema";

const DAY_MS = 24 * 60 * 60 * 1000;
const FOUNDATION = "AI literacy for customer care (foundation)";
const REFRESHER = "AI Act and AI literacy: yearly refresher";

interface DemoTraining {
  course: string;
  /** Days before `now` it was completed, or a fixed day. */
  completed: number | string;
  /** Days after `now` it stops counting (negative: ended), null: no end. */
  validFor: number | null;
  evidenceNote: string;
}

const DEMO_TRAININGS: Record<string, DemoTraining[]> = {
  "admin@nordlys.example": [
    { course: FOUNDATION, completed: "2024-01-15", validFor: null, evidenceNote: "Certificate AIL-2024-0007, stored in the HR file." },
  ],
  "supervisor@nordlys.example": [
    { course: FOUNDATION, completed: "2024-01-15", validFor: null, evidenceNote: "Certificate AIL-2024-0008, stored in the HR file." },
    { course: REFRESHER, completed: 345, validFor: 20, evidenceNote: "Attendance list of the refresher session, signed." },
  ],
  "agent@nordlys.example": [
    { course: FOUNDATION, completed: "2024-01-15", validFor: null, evidenceNote: "Certificate AIL-2024-0009, stored in the HR file." },
    { course: REFRESHER, completed: 60, validFor: 305, evidenceNote: "E-learning completed, quiz score 92%." },
  ],
};

/** The demo's new agent whose training ran out (created by `seedTrainingStories`). */
export const DEMO_UNTRAINED_AGENT = { email: "noor@nordlys.example", name: "Noor Haddad", role: "agent" as const, locale: "ar" };

async function seedFor(db: Db, email: string, trainings: readonly DemoTraining[], now: number): Promise<void> {
  const staff = await findStaffByEmail(db, email);
  if (!staff) return;
  const [existing] = await db.select({ id: staffTrainings.id }).from(staffTrainings).where(eq(staffTrainings.staffId, staff.id)).limit(1);
  if (existing) return;
  const zone = companyTimeZone();
  for (const training of trainings) {
    await db.insert(staffTrainings).values({
      staffId: staff.id,
      course: training.course,
      completedOn: typeof training.completed === "string" ? training.completed : localDay(now - training.completed * DAY_MS, zone),
      // The last day it counts is the day before it stops counting.
      validUntil: training.validFor === null ? null : localDay(now + (training.validFor - 1) * DAY_MS, zone),
      evidenceNote: training.evidenceNote,
      recordedBy: null,
      createdAt: now,
      updatedAt: now,
    });
  }
}

/**
 * Gives the demo staff accounts (DEMO_STAFF in db/seed.ts) their trainings, unless they have some.
 * `now`: ms. Call after the accounts exist (seedDemoStaff): the test template needs it too, since
 * claiming and assigning need a current training while `requireTraining` is on.
 */
export async function seedDemoTrainings(db: Db, now = Date.now()): Promise<void> {
  for (const [email, trainings] of Object.entries(DEMO_TRAININGS)) await seedFor(db, email, trainings, now);
}

/**
 * The demo's story of a lapsed training: creates the agent DEMO_UNTRAINED_AGENT (if missing) with a
 * refresher that ended 35 days before `now` (ms). For `npm run seed` only, not the test template.
 */
export async function seedTrainingStories(db: Db, now = Date.now()): Promise<void> {
  if (!(await findStaffByEmail(db, DEMO_UNTRAINED_AGENT.email))) await createStaffUser(db, DEMO_UNTRAINED_AGENT, { type: "system" });
  await seedFor(db, DEMO_UNTRAINED_AGENT.email, [{ course: REFRESHER, completed: 400, validFor: -35, evidenceNote: "E-learning completed, quiz score 81%." }], now);
}
