/**
 * Reports at scale (issue 10, SPEC §10 "Growth"): reading the reports and keeping their figures
 * current scan no large table — the concerns are read by a range of `created_at` (only the days
 * that changed), the figures through their primary keys, breaches by `detected_at`.
 */
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rebuildReportFigures, refreshReportFigures } from "../../app/domain/report-figures.server";
import { buildReports, resolveRange, type ReportRange } from "../../app/domain/reports.server";
import { executeSql, type AnyDatabase } from "../../app/utils/db.server";
import { aiSystems, concerns, customers, interactionAi, interactions, permissionBreaches, preferences } from "../../db/schema";
import { freshTestDatabase } from "../support/database";
import { describeFullScans, LARGE_TABLES, plansOf } from "../support/query-plans";

const TZ = "Europe/Brussels";
const DAY = 86_400_000;
const START = Date.parse("2024-01-01T00:00:00Z");
/** The figure tables grow with days (and distinct durations): never read whole either. */
const WATCHED = [...LARGE_TABLES, "report_concern_days", "report_concern_durations"];

let database: AnyDatabase;
let range: ReportRange;

beforeAll(async () => {
  database = await freshTestDatabase();
  const { db } = database;
  // Two years of concerns (several a day) and a few thousand customers with choices.
  const [system] = await db.select({ id: aiSystems.id }).from(aiSystems).limit(1);
  const systemId = system!.id;
  await db.transaction(async (tx) => {
    const rows: (typeof concerns.$inferInsert)[] = [];
    for (let i = 0; i < 6000; i += 1) {
      const createdAt = START + Math.floor((i * 730 * DAY) / 6000);
      const resolved = i % 3 !== 0;
      rows.push({
        ref: `C-PLAN-${i}`,
        contactMethod: "portal",
        lang: "en",
        kind: ["explanation", "privacy", "other"][i % 3]!,
        description: "Plan test concern",
        desiredOutcome: "",
        status: resolved ? "resolved" : "new",
        outcomeCode: resolved ? "explained" : null,
        firstResponseAt: createdAt + (i % 97) * 60_000,
        resolvedAt: resolved ? createdAt + (i % 211) * 3_600_000 : null,
        createdAt,
        updatedAt: createdAt,
      });
    }
    for (let i = 0; i < rows.length; i += 500) await tx.insert(concerns).values(rows.slice(i, i + 500));
    for (let i = 0; i < 3000; i += 500) {
      const ids = Array.from({ length: 500 }, (_, j) => `plan-customer-${i + j}`);
      await tx.insert(customers).values(ids.map((id) => ({ id, updatedAt: 0 })));
      await tx.insert(preferences).values(ids.map((id, j) => ({ customerId: id, choiceKey: "training", value: j % 2 ? "yes" : "no", noticeVersion: 1, method: "api", updatedAt: 0 })));
      // A permission breach for each: rare in life, but enough here for the planner to take the index.
      const acted = await tx
        .insert(interactions)
        .values(ids.map((id, j) => ({ customerId: id, source: "plan", ref: `plan-${i + j}`, channel: "chat", subject: "-", occurredAt: START + (i + j) * (DAY / 5) })))
        .returning({ id: interactions.id, customerId: interactions.customerId, occurredAt: interactions.occurredAt });
      const ai = await tx
        .insert(interactionAi)
        .values(acted.map((a) => ({ interactionId: a.id, systemId, role: "acted", actionKey: "plan-changes", humanReviewed: false, trainingEligible: false })))
        .returning({ id: interactionAi.id });
      await tx.insert(permissionBreaches).values(
        acted.map((a, j) => ({ interactionAiId: ai[j]!.id, interactionId: a.id, customerId: a.customerId, systemId, actionKey: "plan-changes", reason: "decision_missing", detectedAt: a.occurredAt })),
      );
    }
  });
  await rebuildReportFigures(db, TZ);
  await executeSql(db, sql`analyze`);
  const resolved = resolveRange({ from: "2025-01-06", to: "2025-03-30" }, Date.UTC(2026, 0, 1), TZ);
  if (!resolved.ok) throw new Error("range");
  range = resolved.range;
  // Some thousands of rows on a shared machine: more than the default 10 s on a busy PostgreSQL.
}, 60_000);

afterAll(async () => {
  await database.close();
});

describe("report query plans (issue 10)", () => {
  it("reading every report scans no large table and reads no concern, customer or preference", async () => {
    const reports = await plansOf(database, (db) => buildReports(db, range, "en"), WATCHED);
    expect(describeFullScans(reports)).toBe("");
    expect(reports.map((r) => r.text).filter((text) => /\b(from|join) "(concerns|customers|preferences)"/i.test(text))).toEqual([]);
    // The figures are read through their keys.
    const figureReads = reports.filter((r) => /from "report_concern_(days|durations)"/.test(r.text));
    expect(figureReads.length).toBeGreaterThanOrEqual(4);
    for (const r of figureReads) expect(r.plan.join(" | "), r.text).toMatch(database.engine === "sqlite" ? /SEARCH report_concern_\w+ USING (COVERING )?INDEX sqlite_autoindex/ : /Index (Only )?Scan|Bitmap Index Scan/);
  });

  it("the breach report reads its range from the (detected_at, system_id) index alone, also when the range holds every breach", async () => {
    // The seeded breaches span 600 days from START: this range holds all of them, where SQLite read the table whole
    // before the index covered the statement.
    const wide = resolveRange({ from: "2024-01-01", to: "2025-12-28" }, Date.UTC(2026, 0, 1), TZ);
    if (!wide.ok) throw new Error("range");
    // PostgreSQL rightly reads a small table whole for a range that holds all of it (the growth bench judges its plans
    // with sequential scans off); SQLite is held to the index for both ranges.
    for (const r of database.engine === "sqlite" ? [range, wide.range] : [range]) {
      const reports = await plansOf(database, (db) => buildReports(db, r, "en"), ["permission_breaches"]);
      expect(describeFullScans(reports)).toBe("");
      const breachReads = reports.filter((report) => /from "permission_breaches"/.test(report.text));
      expect(breachReads).toHaveLength(1);
      expect(breachReads[0]!.plan.join(" | ")).toMatch(
        database.engine === "sqlite" ? /SEARCH permission_breaches USING COVERING INDEX permission_breaches_detected_system/ : /permission_breaches_detected_system/,
      );
    }
  });

  it("keeping the figures current reads only the days that changed, by created_at", async () => {
    const { db } = database;
    await db.insert(concerns).values({ ref: "C-PLAN-NEW", contactMethod: "portal", lang: "en", kind: "other", description: "x", desiredOutcome: "", createdAt: START + 400 * DAY, updatedAt: 0 });
    await db.update(concerns).set({ status: "closed" }).where(sql`${concerns.ref} = 'C-PLAN-10'`);
    await db.update(preferences).set({ value: "yes" }).where(sql`${preferences.customerId} = 'plan-customer-0' and ${preferences.choiceKey} = 'training'`);
    const reports = await plansOf(database, (observed) => refreshReportFigures(observed, TZ), WATCHED);
    expect(describeFullScans(reports)).toBe("");
    const concernReads = reports.filter((r) => /from "concerns"/.test(r.text));
    expect(concernReads).toHaveLength(2);
    for (const r of concernReads) expect(r.plan.join(" | ")).toMatch(database.engine === "sqlite" ? /SEARCH concerns USING INDEX concerns_created/ : /concerns_created/);
  });
});
