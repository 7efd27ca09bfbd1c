/**
 * AI literacy (AI Act Art. 4, SPEC §12): the trainings each staff member completed (course, the day
 * it was completed, the last day it counts or none, an evidence note), who has a current one, the
 * coverage figure, and the upcoming expiries the console start page and staff emails announce.
 * While the setting `requireTraining` is on (default), staff without a current training cannot
 * claim or be assigned concerns (app/domain/concerns/staff.server.ts asks `trainingMissing`).
 *
 * Dates are calendar days ("YYYY-MM-DD") in the company's time zone (`companyTimeZone()`): a
 * training valid until 2026-12-31 counts through the end of that local day and has expired from the
 * start of 1 January. Recording, correcting and deleting need `trainings.manage` (admins) and are
 * audited in the same transaction (ids and dates only: the audit chain carries no free text).
 */
import { and, asc, eq, gte, isNull, lte, or } from "drizzle-orm";
import { staffTrainings, staffUsers } from "../../db/schema";
import { addDays, dayStart, localDay, type IsoDay } from "../utils/calendar";
import type { Db } from "../utils/db.server";
import { appendAudit } from "./audit.server";
import { can } from "./permissions";
import { companyTimeZone, getSetting } from "./settings.server";

/** How far ahead a training's end counts as "expiring" on the console (days). */
export const EXPIRY_WARNING_DAYS = 30;
const DAY_MS = 24 * 60 * 60 * 1000;

/** current: counts and stays valid beyond the warning window; expiring: ends within it; expired: ended; none: never trained. */
export type TrainingStatus = "current" | "expiring" | "expired" | "none";

/**
 * A refused training change. `code` (translated by the route as `trainings:errors.<code>`):
 * forbidden, not_found, unknown_staff, invalid_date, completed_in_future, ends_before_completed.
 */
export class TrainingError extends Error {
  get code(): string {
    return this.message;
  }
}

/** Who records: a signed-in staff member (id and role). */
export interface TrainingActor {
  id: number;
  role: string;
}

export interface TrainingInput {
  staffId: number;
  course: string;
  /** "YYYY-MM-DD", company zone. */
  completedOn: IsoDay;
  /** The last day it counts, "YYYY-MM-DD", or null when it does not expire. */
  validUntil: IsoDay | null;
  evidenceNote: string;
}

export type Training = typeof staffTrainings.$inferSelect;

const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;

/** A real calendar day written "YYYY-MM-DD" (2026-02-30 is not). */
export function isIsoDay(value: string): boolean {
  return ISO_DAY.test(value) && addDays(value, 0) === value;
}

/** The instant (ms) a training valid until `validUntil` stops counting: the start of the next local day. */
export function validityEnd(validUntil: IsoDay, timeZone = companyTimeZone()): number {
  return dayStart(addDays(validUntil, 1), timeZone);
}

/** The status of one training (or of a person's best one) at `now` (ms). */
export function trainingStatus(training: Pick<Training, "completedOn" | "validUntil"> | null, now: number, timeZone = companyTimeZone()): TrainingStatus {
  if (!training) return "none";
  const today = localDay(now, timeZone);
  if (training.completedOn > today) return "none";
  if (training.validUntil === null) return "current";
  const end = validityEnd(training.validUntil, timeZone);
  if (end <= now) return "expired";
  return end - now <= EXPIRY_WARNING_DAYS * DAY_MS ? "expiring" : "current";
}

function checkInput(input: TrainingInput, now: number): void {
  if (!isIsoDay(input.completedOn) || (input.validUntil !== null && !isIsoDay(input.validUntil))) throw new TrainingError("invalid_date");
  if (input.completedOn > localDay(now, companyTimeZone())) throw new TrainingError("completed_in_future");
  if (input.validUntil !== null && input.validUntil < input.completedOn) throw new TrainingError("ends_before_completed");
}

function requireManage(actor: TrainingActor): void {
  if (!can(actor.role, "trainings.manage")) throw new TrainingError("forbidden");
}

async function requireStaff(db: Db, staffId: number): Promise<void> {
  const [staff] = await db.select({ id: staffUsers.id }).from(staffUsers).where(eq(staffUsers.id, staffId)).limit(1);
  if (!staff) throw new TrainingError("unknown_staff");
}

/**
 * Records a completed training for `input.staffId` (admins: `trainings.manage`). `now`: ms.
 * Resolves to the new training's id; throws TrainingError (forbidden, unknown_staff, invalid_date,
 * completed_in_future, ends_before_completed). Audited as `training.recorded`.
 */
export async function recordTraining(db: Db, input: TrainingInput, actor: TrainingActor, now = Date.now()): Promise<number> {
  requireManage(actor);
  checkInput(input, now);
  return db.transaction(async (tx) => {
    await requireStaff(tx, input.staffId);
    const [row] = await tx
      .insert(staffTrainings)
      .values({ ...input, course: input.course.trim(), evidenceNote: input.evidenceNote.trim(), recordedBy: actor.id, createdAt: now, updatedAt: now })
      .returning({ id: staffTrainings.id });
    await appendAudit(tx, {
      actor: { type: "staff", id: actor.id },
      action: "training.recorded",
      target: { type: "staff", id: input.staffId },
      details: { training: row!.id, completedOn: input.completedOn, validUntil: input.validUntil },
      now,
    });
    return row!.id;
  });
}

/**
 * Corrects a recorded training (course, dates, evidence note; the person stays). Admins only.
 * Throws TrainingError (forbidden, not_found, invalid_date, completed_in_future,
 * ends_before_completed). Audited as `training.corrected`.
 */
export async function correctTraining(db: Db, id: number, input: Omit<TrainingInput, "staffId">, actor: TrainingActor, now = Date.now()): Promise<void> {
  requireManage(actor);
  await db.transaction(async (tx) => {
    const [current] = await tx.select().from(staffTrainings).where(eq(staffTrainings.id, id)).limit(1);
    if (!current) throw new TrainingError("not_found");
    checkInput({ ...input, staffId: current.staffId }, now);
    await tx
      .update(staffTrainings)
      .set({ course: input.course.trim(), completedOn: input.completedOn, validUntil: input.validUntil, evidenceNote: input.evidenceNote.trim(), updatedAt: now })
      .where(eq(staffTrainings.id, id));
    await appendAudit(tx, {
      actor: { type: "staff", id: actor.id },
      action: "training.corrected",
      target: { type: "staff", id: current.staffId },
      details: { training: id, completedOn: input.completedOn, validUntil: input.validUntil },
      now,
    });
  });
}

/** Deletes a training recorded by mistake. Admins only; throws TrainingError (forbidden, not_found). Audited as `training.deleted`. */
export async function deleteTraining(db: Db, id: number, actor: TrainingActor, now = Date.now()): Promise<void> {
  requireManage(actor);
  await db.transaction(async (tx) => {
    const [current] = await tx.select().from(staffTrainings).where(eq(staffTrainings.id, id)).limit(1);
    if (!current) throw new TrainingError("not_found");
    await tx.delete(staffTrainings).where(eq(staffTrainings.id, id));
    await appendAudit(tx, {
      actor: { type: "staff", id: actor.id },
      action: "training.deleted",
      target: { type: "staff", id: current.staffId },
      details: { training: id },
      now,
    });
  });
}

/** One training by id, or undefined. */
export async function findTraining(db: Db, id: number): Promise<Training | undefined> {
  const [row] = await db.select().from(staffTrainings).where(eq(staffTrainings.id, id)).limit(1);
  return row;
}

/**
 * Whether staff member `staffId` has a training that counts at `now` (ms): completed on or before
 * today and valid through today or without end (company zone). AI Act Art. 4.
 */
export async function hasCurrentTraining(db: Db, staffId: number, now: number): Promise<boolean> {
  const today = localDay(now, companyTimeZone());
  const [row] = await db
    .select({ id: staffTrainings.id })
    .from(staffTrainings)
    .where(and(eq(staffTrainings.staffId, staffId), lte(staffTrainings.completedOn, today), or(isNull(staffTrainings.validUntil), gte(staffTrainings.validUntil, today))))
    .limit(1);
  return row !== undefined;
}

/**
 * True when the rule stops `staffId` from taking concerns at `now`: the setting `requireTraining`
 * is on and they have no current training (SPEC §12, AI Act Art. 4).
 */
export async function trainingMissing(db: Db, staffId: number, now: number): Promise<boolean> {
  if (!(await getSetting(db, "requireTraining"))) return false;
  return !(await hasCurrentTraining(db, staffId, now));
}

interface StaffRow {
  id: number;
  name: string;
  email: string;
  role: string;
}

async function activeStaffWithTrainings(db: Db): Promise<{ staff: StaffRow[]; trainings: Training[] }> {
  const staff = await db
    .select({ id: staffUsers.id, name: staffUsers.name, email: staffUsers.email, role: staffUsers.role })
    .from(staffUsers)
    .where(isNull(staffUsers.disabledAt))
    .orderBy(asc(staffUsers.name), asc(staffUsers.id));
  const trainings = await db
    .select()
    .from(staffTrainings)
    .innerJoin(staffUsers, eq(staffUsers.id, staffTrainings.staffId))
    .where(isNull(staffUsers.disabledAt))
    .orderBy(asc(staffTrainings.completedOn), asc(staffTrainings.id));
  return { staff, trainings: trainings.map((t) => t.staff_trainings) };
}

/** Each course's latest training (by completion day, then id) of one person. */
function latestPerCourse(trainings: readonly Training[]): Training[] {
  const byCourse = new Map<string, Training>();
  for (const training of trainings) byCourse.set(training.course.toLowerCase(), training);
  return Array.from(byCourse, ([, training]) => training);
}

const STATUS_RANK: Record<TrainingStatus, number> = { current: 3, expiring: 2, expired: 1, none: 0 };

/** A person's standing: the best status among their trainings, and the end of the one giving it (null: no end or none). */
function standing(trainings: readonly Training[], now: number, timeZone: string): { status: TrainingStatus; validUntil: IsoDay | null } {
  let best: { status: TrainingStatus; validUntil: IsoDay | null } = { status: "none", validUntil: null };
  for (const training of trainings) {
    const status = trainingStatus(training, now, timeZone);
    const better =
      STATUS_RANK[status] > STATUS_RANK[best.status] ||
      (status === best.status && status !== "none" && (training.validUntil === null || (best.validUntil !== null && training.validUntil > best.validUntil)));
    if (better) best = { status, validUntil: training.validUntil };
  }
  return best;
}

export interface StaffTrainingStanding {
  staffId: number;
  name: string;
  email: string;
  role: string;
  status: TrainingStatus;
  /** The end of the training that gives the status ("YYYY-MM-DD"), null when it does not expire or there is none. */
  validUntil: IsoDay | null;
  /** Every training of the person, newest first. */
  trainings: Training[];
}

export interface TrainingOverview {
  /** Active staff with a current training (status current or expiring), and all active staff. */
  coverage: { trained: number; total: number };
  people: StaffTrainingStanding[];
}

/**
 * The console's picture (SPEC §12 "the console shows coverage and upcoming expiries"): every active
 * staff member's standing at `now` (ms) with their trainings, and the coverage figure.
 */
export async function trainingOverview(db: Db, now: number): Promise<TrainingOverview> {
  const timeZone = companyTimeZone();
  const { staff, trainings } = await activeStaffWithTrainings(db);
  const people = staff.map((person): StaffTrainingStanding => {
    const own = trainings.filter((t) => t.staffId === person.id);
    return { staffId: person.id, name: person.name, email: person.email, role: person.role, ...standing(own, now, timeZone), trainings: own.slice().reverse() };
  });
  const trained = people.filter((p) => p.status === "current" || p.status === "expiring").length;
  return { coverage: { trained, total: people.length }, people };
}

/**
 * The trainings of active staff members whose AI-literacy cover ends before `now + withinMs` (ms):
 * their latest training per course, already-expired ones included, soonest end first. Someone with
 * another training that still covers them beyond that (any course, or one without an end) is not
 * listed. `validUntil` is the instant (ms) it stops
 * counting (the start of the day after its last day, company zone); `expired`: that is at or before
 * `now`. For the start page and the "training about to expire" email (SPEC §12).
 */
export async function expiringTrainings(
  db: Db,
  now: number,
  withinMs: number,
): Promise<Array<{ staffId: number; staffName: string; staffEmail: string; course: string; validUntil: number; expired: boolean }>> {
  const timeZone = companyTimeZone();
  const { staff, trainings } = await activeStaffWithTrainings(db);
  const result: Array<{ staffId: number; staffName: string; staffEmail: string; course: string; validUntil: number; expired: boolean }> = [];
  for (const person of staff) {
    const own = trainings.filter((t) => t.staffId === person.id);
    // Only people whose cover ends: another current training (any course) still covers them.
    const cover = standing(own, now, timeZone);
    if (cover.validUntil === null) continue;
    const coverEnd = validityEnd(cover.validUntil, timeZone);
    if (coverEnd >= now + withinMs) continue;
    for (const training of latestPerCourse(own)) {
      if (training.validUntil === null) continue;
      const end = validityEnd(training.validUntil, timeZone);
      if (end <= coverEnd) result.push({ staffId: person.id, staffName: person.name, staffEmail: person.email, course: training.course, validUntil: end, expired: end <= now });
    }
  }
  return result.sort((a, b) => a.validUntil - b.validUntil || a.staffId - b.staffId);
}

/** Active staff with no training that counts at `now` (ms), by name (SPEC §12, AI Act Art. 4). */
export async function staffWithoutTraining(db: Db, now: number): Promise<Array<{ staffId: number; staffName: string }>> {
  const { people } = await trainingOverview(db, now);
  return people.filter((p) => p.status === "none" || p.status === "expired").map((p) => ({ staffId: p.staffId, staffName: p.name }));
}
