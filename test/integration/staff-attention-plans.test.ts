/**
 * SPEC §10 "Growth" for the console's start page and the staff-notification scan: at volume (a few
 * thousand concerns, fresh statistics) neither reads a table that grows with customers whole — on
 * the plans each engine chooses for the very statements the domain runs.
 */
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appendAudit } from "../../app/domain/audit.server";
import { attentionFor } from "../../app/domain/staff-attention.server";
import { queueStaffNotifications } from "../../app/domain/staff-notifications.server";
import type { AnyDatabase } from "../../app/utils/db.server";
import { concerns, staffUsers } from "../../db/schema";
import { freshTestDatabase } from "../support/database";
import { addVolume, analyzeForPlans } from "../support/queue-factories";
import { describeFullScans, plansOf } from "../support/query-plans";

const NOW = Date.UTC(2026, 10, 30, 9, 0, 0);
let database: AnyDatabase;
let agent: { id: number; role: string };
let supervisor: { id: number; role: string };

beforeAll(async () => {
  database = await freshTestDatabase();
  await addVolume(database.db, { customers: 3000, interactionsPerCustomer: 3, decisionsPerCustomer: 2, concerns: 4000, openShare: 0.05, now: NOW });
  const staff = await database.db.select({ id: staffUsers.id, role: staffUsers.role, email: staffUsers.email }).from(staffUsers);
  agent = staff.find((s) => s.email === "agent@nordlys.example")!;
  supervisor = staff.find((s) => s.email === "supervisor@nordlys.example")!;
  // A few flagged incidents among the cases, as in life.
  const open = await database.db.select({ id: concerns.id }).from(concerns).where(eq(concerns.status, "new")).limit(3);
  for (const row of open) await database.db.update(concerns).set({ seriousIncident: true, seriousIncidentAt: NOW - 3_600_000 }).where(eq(concerns.id, row.id));
  // An audit log of some length: the scan reads it from its cursor on.
  await database.db.transaction(async (tx) => {
    for (let i = 0; i < 3000; i++) await appendAudit(tx, { actor: { type: "system" }, action: "concern.note_added", target: { type: "concern", id: `C-VOL-${i}` }, now: NOW - 3000 + i });
  });
  await analyzeForPlans(database);
}, 120_000);

afterAll(async () => {
  await database?.close();
});

describe("query plans at volume (SPEC §10 Growth)", () => {
  it("the start page of an agent and of a supervisor reads no large table whole", async () => {
    for (const who of [agent, supervisor]) {
      const reports = await plansOf(database, (db) => attentionFor(db, who, NOW));
      expect(reports.length).toBeGreaterThan(0);
      expect(describeFullScans(reports)).toBe("");
    }
  });

  it("a staff-notification scan (first run, then a batch) reads no large table whole", async () => {
    await queueStaffNotifications(database.db, NOW);
    const reports = await plansOf(database, (db) => queueStaffNotifications(db, NOW + 10 * 60_000));
    expect(reports.some((r) => /from "concerns"/.test(r.text))).toBe(true);
    expect(describeFullScans(reports)).toBe("");
  });
});
