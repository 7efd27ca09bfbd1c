/**
 * One customer at a glance stays flat at 1M customers (SPEC §10 Growth): every statement it runs
 * reads the growing tables through a per-customer index, on both engines, on the plans the
 * engines choose at volume with fresh statistics.
 */
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { customerOverview, overviewPages } from "../../app/domain/customer-overview.server";
import type { AnyDatabase } from "../../app/utils/db.server";
import { consentEvents, staffUsers } from "../../db/schema";
import { freshTestDatabase } from "../support/database";
import { addVolume, analyzeForPlans, volumeCustomerId } from "../support/queue-factories";
import { describeFullScans, LARGE_TABLES, plansOf } from "../support/query-plans";

// The view's audit entry reads the chain head (audit_log by primary key, newest first, limit 1):
// SQLite reports that backward rowid walk as a SCAN, though it stops at the first row.
const TABLES = LARGE_TABLES.filter((t) => t !== "audit_log");

const NOW = Date.UTC(2026, 10, 30, 9, 0, 0);
let database: AnyDatabase;
let viewerId: number;

beforeAll(async () => {
  database = await freshTestDatabase();
  await addVolume(database.db, { customers: 3000, interactionsPerCustomer: 3, decisionsPerCustomer: 2, concerns: 4000, openShare: 0.05, now: NOW });
  // The volume has no consent events: three per customer, like a customer who changed choices.
  const events = Array.from({ length: 3000 * 3 }, (_, i) => ({
    receiptId: `plan-receipt-${i}`,
    customerId: volumeCustomerId(Math.floor(i / 3) + 1),
    choiceKey: "plan-changes",
    value: i % 2 === 0 ? "ask" : "allow",
    previousValue: null,
    noticeVersion: 1,
    lang: "en",
    method: "portal",
    limits: null,
    createdAt: NOW - i * 60_000,
  }));
  for (let i = 0; i < events.length; i += 200) await database.db.insert(consentEvents).values(events.slice(i, i + 200));
  await analyzeForPlans(database);
  const [supervisor] = await database.db.select({ id: staffUsers.id }).from(staffUsers).where(eq(staffUsers.email, "supervisor@nordlys.example")).limit(1);
  viewerId = supervisor!.id;
}, 120_000);

afterAll(async () => {
  await database?.close();
});

describe("one customer at a glance at volume", () => {
  it("reads every section through the customer's indexes, first page and a later one", async () => {
    for (const query of ["", "consents=3&decisions=2&confirmations=2&breaches=2&interactions=2&concerns=2"]) {
      const reports = await plansOf(database, (db) =>
        customerOverview(db, { customerId: volumeCustomerId(1234), viewerId, lang: "en", pages: overviewPages(new URLSearchParams(query)), now: NOW }),
        TABLES,
      );
      expect(describeFullScans(reports)).toBe("");
      expect(reports.length).toBeGreaterThan(8);
    }
  });
});
