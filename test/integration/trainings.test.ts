import { and, eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  correctTraining,
  deleteTraining,
  expiringTrainings,
  hasCurrentTraining,
  recordTraining,
  staffWithoutTraining,
  TrainingError,
  trainingOverview,
  validityEnd,
} from "../../app/domain/trainings.server";
import { dayStart } from "../../app/utils/calendar";
import type { AnyDatabase } from "../../app/utils/db.server";
import { auditLog, staffTrainings, staffUsers } from "../../db/schema";
import { freshTestDatabase } from "../support/database";
import { giveTraining, newStaff } from "../support/staff-training-factories";

const ZONE = "Europe/Brussels";
const DAY = 24 * 60 * 60 * 1000;
/** 15 June 2026, noon in Brussels. */
const NOW = Date.UTC(2026, 5, 15, 10);

let database: AnyDatabase;
beforeEach(async () => {
  database = await freshTestDatabase({ seeded: false });
});
afterEach(async () => {
  await database.close();
});

describe("trainings (AI Act Art. 4, SPEC §12): the ledger", () => {
  it("counts a training through the end of its last local day and not a millisecond longer", async () => {
    const db = database.db;
    const staffId = await newStaff(db);
    expect(await hasCurrentTraining(db, staffId, NOW)).toBe(false);
    await giveTraining(db, staffId, { completedOn: "2026-01-10", validUntil: "2026-06-15" });
    const end = dayStart("2026-06-16", ZONE);
    expect(validityEnd("2026-06-15", ZONE)).toBe(end);
    expect(await hasCurrentTraining(db, staffId, end - 1)).toBe(true);
    expect(await hasCurrentTraining(db, staffId, end)).toBe(false);
    // A training completed in the future does not count yet; one without an end counts for good.
    const other = await newStaff(db);
    await giveTraining(db, other, { completedOn: "2026-06-16", validUntil: null });
    expect(await hasCurrentTraining(db, other, NOW)).toBe(false);
    expect(await hasCurrentTraining(db, other, end + 10 * 365 * DAY)).toBe(true);
  });

  it("records, corrects and deletes for admins only, each change audited with ids and dates only", async () => {
    const db = database.db;
    const admin = { id: await newStaff(db, "admin"), role: "admin" };
    const supervisor = { id: await newStaff(db, "supervisor"), role: "supervisor" };
    const agent = await newStaff(db);
    const input = { staffId: agent, course: "  AI literacy basics ", completedOn: "2026-06-01", validUntil: "2027-05-31", evidenceNote: "Certificate no. 42 on file" };
    await expect(recordTraining(db, input, supervisor, NOW)).rejects.toThrow(new TrainingError("forbidden"));
    const id = await recordTraining(db, input, admin, NOW);
    const [row] = await db.select().from(staffTrainings).where(eq(staffTrainings.id, id)).limit(1);
    expect(row).toMatchObject({ staffId: agent, course: "AI literacy basics", recordedBy: admin.id, validUntil: "2027-05-31" });
    await correctTraining(db, id, { course: "AI literacy basics", completedOn: "2026-06-01", validUntil: "2026-12-31", evidenceNote: "" }, admin, NOW);
    expect((await db.select().from(staffTrainings).where(eq(staffTrainings.id, id)))[0]!.validUntil).toBe("2026-12-31");
    await expect(deleteTraining(db, id, supervisor, NOW)).rejects.toThrow(new TrainingError("forbidden"));
    await deleteTraining(db, id, admin, NOW);
    expect(await db.select().from(staffTrainings).where(eq(staffTrainings.id, id))).toEqual([]);
    const audits = await db.select().from(auditLog).where(and(eq(auditLog.targetType, "staff"), eq(auditLog.targetId, String(agent))));
    expect(audits.map((a) => a.action).filter((a) => a.startsWith("training."))).toEqual(["training.recorded", "training.corrected", "training.deleted"]);
    expect(JSON.stringify(audits)).not.toContain("Certificate");
  });

  it("refuses impossible dates, a completion in the future, an end before the completion and unknown people", async () => {
    const db = database.db;
    const admin = { id: await newStaff(db, "admin"), role: "admin" };
    const agent = await newStaff(db);
    const base = { staffId: agent, course: "AI literacy", completedOn: "2026-06-01", validUntil: null, evidenceNote: "" };
    await expect(recordTraining(db, { ...base, completedOn: "2026-02-30" }, admin, NOW)).rejects.toThrow(new TrainingError("invalid_date"));
    await expect(recordTraining(db, { ...base, completedOn: "2026-06-16" }, admin, NOW)).rejects.toThrow(new TrainingError("completed_in_future"));
    await expect(recordTraining(db, { ...base, validUntil: "2026-05-31" }, admin, NOW)).rejects.toThrow(new TrainingError("ends_before_completed"));
    await expect(recordTraining(db, { ...base, staffId: 999_999 }, admin, NOW)).rejects.toThrow(new TrainingError("unknown_staff"));
    await expect(correctTraining(db, 999_999, base, admin, NOW)).rejects.toThrow(new TrainingError("not_found"));
    expect(await db.select().from(staffTrainings)).toEqual([]);
  });
});

describe("trainings: coverage and expiries (for the console and the start page)", () => {
  it("gives each active person a status, the coverage figure, the expiring list and the untrained list", async () => {
    const db = database.db;
    const current = await newStaff(db, "agent", "Cora Current");
    const expiring = await newStaff(db, "agent", "Eli Expiring");
    const expired = await newStaff(db, "agent", "Exa Expired");
    const none = await newStaff(db, "supervisor", "Nina None");
    const gone = await newStaff(db, "agent", "Gone Disabled");
    await giveTraining(db, current, { validUntil: "2027-06-01" });
    await giveTraining(db, expiring, { validUntil: "2026-07-01" });
    // An older course run expired long ago; the newer run of the same course is the one that counts.
    await giveTraining(db, expiring, { completedOn: "2019-01-01", validUntil: "2020-01-01" });
    await giveTraining(db, expired, { validUntil: "2026-06-14" });
    await giveTraining(db, gone, { validUntil: "2026-06-20" });
    await db.update(staffUsers).set({ disabledAt: NOW - DAY }).where(eq(staffUsers.id, gone));

    const overview = await trainingOverview(db, NOW);
    expect(overview.coverage).toEqual({ trained: 2, total: 4 });
    const status = Object.fromEntries(overview.people.map((p) => [p.name, p.status]));
    expect(status).toEqual({ "Cora Current": "current", "Eli Expiring": "expiring", "Exa Expired": "expired", "Nina None": "none" });

    const soon = await expiringTrainings(db, NOW, 30 * DAY);
    expect(soon.map((t) => [t.staffName, t.expired, t.validUntil])).toEqual([
      ["Exa Expired", true, dayStart("2026-06-15", ZONE)],
      ["Eli Expiring", false, dayStart("2026-07-02", ZONE)],
    ]);
    expect(soon[0]).toMatchObject({ staffId: expired, course: "AI literacy basics" });
    expect(soon[0]!.staffEmail).toMatch(/@nordlys\.example$/);
    expect(await staffWithoutTraining(db, NOW)).toEqual([
      { staffId: expired, staffName: "Exa Expired" },
      { staffId: none, staffName: "Nina None" },
    ]);
  });

  it("someone still covered by another training is not listed as expiring, whatever the course", async () => {
    const db = database.db;
    const renewed = await newStaff(db, "agent", "Rae Renewed");
    const openEnded = await newStaff(db, "supervisor", "Omar Open-ended");
    // An expired course, then a different course that counts for a year.
    await giveTraining(db, renewed, { course: "AI literacy basics", completedOn: "2025-01-01", validUntil: "2026-06-01" });
    await giveTraining(db, renewed, { course: "AI refresher", completedOn: "2026-06-05", validUntil: "2027-06-05" });
    // A course ending soon beside one that never ends.
    await giveTraining(db, openEnded, { course: "Foundation", validUntil: null });
    await giveTraining(db, openEnded, { course: "Prompting with care", completedOn: "2025-07-01", validUntil: "2026-06-20" });
    const soon = await expiringTrainings(db, NOW, 30 * DAY);
    expect(soon.map((t) => t.staffName)).not.toContain("Rae Renewed");
    expect(soon.map((t) => t.staffName)).not.toContain("Omar Open-ended");
    expect((await trainingOverview(db, NOW)).people.filter((p) => p.staffId === renewed || p.staffId === openEnded).map((p) => p.status)).toEqual(["current", "current"]);
  });
});
