/**
 * Public accountability (SPEC §12, `/:lang/statistics`): the figures per AI system and quarter,
 * small cells suppressed, kept current from the concerns' change queue, and read without touching
 * the concerns.
 */
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { LANGUAGES } from "../../app/utils/languages";
import { FEWER_THAN_FIVE, histogramMedian, publicStatistics, rebuildPublicStatistics, refreshPublicStatistics } from "../../app/domain/public-statistics.server";
import { companyTimeZone } from "../../app/domain/settings.server";
import { dayStart } from "../../app/utils/calendar";
import { executeSql, type AnyDatabase } from "../../app/utils/db.server";
import { aiSystems, concerns, customers, interactionAi, interactions, permissionBreaches, publicConcernDays, publicFirstAnswers } from "../../db/schema";
import { auditOf, auditSystem, statisticsConcern } from "../support/audit-factories";
import { createTestApp, type TestApp } from "../support/app";
import { freshTestDatabase } from "../support/database";
import { html, tr } from "../support/locales";
import { describeFullScans, LARGE_TABLES, plansOf } from "../support/query-plans";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const at = (day: string, hours = 12) => dayStart(day, companyTimeZone()) + hours * HOUR;
/** "Now" for these tests: the shown quarters are 2024-Q3 … 2026-Q2. */
const NOW = at("2026-06-15");

describe("the figures", () => {
  let app: TestApp;
  beforeEach(async () => {
    app = await createTestApp();
  });

  it("counts received, resolved, upheld and the median time to first answer per system and quarter of filing", async () => {
    const system = await auditSystem(app.db, { name: "Offer model" });
    // Q1 2026: six counted concerns, answered after 1, 2, 3, 4, 5 and 30 hours; 3 upheld (incl. partly), 1 not upheld.
    const hours = [1, 2, 3, 4, 5, 30];
    const outcomes = ["upheld", "partly_upheld", "action_reversed", "not_upheld", undefined, undefined];
    for (const [i, h] of hours.entries()) await statisticsConcern(app.db, system.id, at("2026-02-10") + i * DAY, { answerAfterMs: h * HOUR, outcome: outcomes[i] });
    // Not counted: spam, and a case Candor opened for a permission breach.
    await statisticsConcern(app.db, system.id, at("2026-02-20"), { status: "spam" });
    await statisticsConcern(app.db, system.id, at("2026-02-20"), { origin: "breach" });
    // Q2 2026: five concerns, none answered.
    for (let i = 0; i < 5; i += 1) await statisticsConcern(app.db, system.id, at("2026-04-02") + i * DAY);
    await refreshPublicStatistics(app.db, NOW);

    const stats = await publicStatistics(app.db, "en", NOW);
    expect(stats.quarters.map((q) => q.key)).toEqual(["2024-Q3", "2024-Q4", "2025-Q1", "2025-Q2", "2025-Q3", "2025-Q4", "2026-Q1", "2026-Q2"]);
    const row = stats.systems.find((s) => s.key === String(system.id))!;
    expect(row).toMatchObject({ slug: system.slug, name: "Offer model" });
    // Median of 1, 2, 3, 4, 5, 30 hours = 3.5 hours.
    expect(row.quarters["2026-Q1"]).toEqual({ received: 6, resolved: FEWER_THAN_FIVE, upheld: FEWER_THAN_FIVE, medianFirstAnswerSeconds: 3.5 * 3600 });
    expect(row.quarters["2026-Q2"]).toEqual({ received: 5, resolved: 0, upheld: 0, medianFirstAnswerSeconds: null });
    expect(row.quarters["2025-Q4"]).toEqual({ received: 0, resolved: 0, upheld: 0, medianFirstAnswerSeconds: null });
  });

  it("shows 1 to 4 as “fewer than 5” and a median only from 5 answered concerns", async () => {
    const system = await auditSystem(app.db);
    for (let i = 0; i < 3; i += 1) await statisticsConcern(app.db, system.id, at("2026-05-04") + i * HOUR, { answerAfterMs: HOUR, outcome: "upheld" });
    await refreshPublicStatistics(app.db, NOW);
    const row = (await publicStatistics(app.db, "en", NOW)).systems.find((s) => s.key === String(system.id))!;
    expect(row.quarters["2026-Q2"]).toEqual({ received: FEWER_THAN_FIVE, resolved: FEWER_THAN_FIVE, upheld: FEWER_THAN_FIVE, medianFirstAnswerSeconds: null });
  });

  it("keeps the day figures equal to a rebuild as concerns change, are moved or deleted", async () => {
    const system = await auditSystem(app.db);
    const other = await auditSystem(app.db);
    const ids: number[] = [];
    for (let i = 0; i < 8; i += 1) ids.push(await statisticsConcern(app.db, system.id, at("2026-03-01") + i * 5 * DAY, { answerAfterMs: (i + 1) * HOUR }));
    await refreshPublicStatistics(app.db, NOW);
    await app.db.update(concerns).set({ status: "resolved", outcomeCode: "upheld", resolvedAt: at("2026-04-20") }).where(eq(concerns.id, ids[0]!));
    await app.db.update(concerns).set({ systemId: other.id }).where(eq(concerns.id, ids[1]!));
    await app.db.update(concerns).set({ createdAt: at("2025-11-11") }).where(eq(concerns.id, ids[2]!));
    await app.db.delete(concerns).where(eq(concerns.id, ids[3]!));
    expect(await refreshPublicStatistics(app.db, NOW)).toBeGreaterThan(0);
    const read = async () => ({
      days: (await app.db.select().from(publicConcernDays)).sort((a, b) => `${a.day}${a.systemKey}`.localeCompare(`${b.day}${b.systemKey}`)),
      answers: (await app.db.select().from(publicFirstAnswers)).sort((a, b) => `${a.day}${a.systemKey}${a.seconds}`.localeCompare(`${b.day}${b.systemKey}${b.seconds}`)),
    });
    const incremental = await read();
    await rebuildPublicStatistics(app.db, companyTimeZone(), NOW);
    expect(await read()).toEqual(incremental);
    const stats = await publicStatistics(app.db, "en", NOW);
    expect(stats.systems.find((s) => s.key === String(system.id))!.quarters["2026-Q1"]!.received).toBe(FEWER_THAN_FIVE);
    expect(stats.systems.find((s) => s.key === String(system.id))!.quarters["2025-Q4"]!.received).toBe(FEWER_THAN_FIVE);
    // Nothing queued: nothing to do.
    expect(await refreshPublicStatistics(app.db, NOW)).toBe(0);
  });

  it("a rebuild reads before its write transaction: a concern filed meanwhile stays queued for the next refresh", async () => {
    const system = await auditSystem(app.db);
    for (let i = 0; i < 5; i += 1) await statisticsConcern(app.db, system.id, at("2026-04-02") + i * DAY);
    const racing = new Proxy(app.db, {
      get(target, property, receiver) {
        if (property !== "transaction") return Reflect.get(target, property, receiver);
        return async (body: (tx: typeof app.db) => Promise<unknown>) => {
          await statisticsConcern(app.db, system.id, at("2026-04-20"));
          return target.transaction(body);
        };
      },
    });
    expect(await rebuildPublicStatistics(racing, companyTimeZone(), NOW)).toBeGreaterThanOrEqual(5);
    const received = async () => (await publicStatistics(app.db, "en", NOW)).systems.find((s) => s.key === String(system.id))!.quarters["2026-Q2"]!.received;
    expect(await received()).toBe(5);
    expect(await refreshPublicStatistics(app.db, NOW)).toBeGreaterThan(0);
    expect(await received()).toBe(6);
  });

  it("counts audits per quarter of their day, with how many failed", async () => {
    const system = await auditSystem(app.db);
    await auditOf(app.db, system.slug, "2026-01-05");
    await auditOf(app.db, system.slug, "2026-03-31", { result: "failed" });
    await auditOf(app.db, system.slug, "2026-04-01", { result: "passed_with_actions" });
    const stats = await publicStatistics(app.db, "en", NOW);
    expect(stats.audits["2026-Q1"]).toMatchObject({ audits: 2, failed: 1 });
    expect(stats.audits["2026-Q2"]).toMatchObject({ audits: 1, passedWithActions: 1, failed: 0 });
  });

  it("histogramMedian interpolates between the two middle values", () => {
    expect(histogramMedian(new Map())).toBeNull();
    expect(histogramMedian(new Map([[10, 1]]))).toBe(10);
    expect(histogramMedian(new Map([[10, 2], [30, 2]]))).toBe(20);
    expect(histogramMedian(new Map([[5, 1], [10, 3], [99, 1]]))).toBe(10);
  });
});

describe("the page (/:lang/statistics)", () => {
  let app: TestApp;
  beforeEach(async () => {
    app = await createTestApp();
  });

  it("is public, in every language, server-rendered with its numbers in tables, and shows no personal data", async () => {
    const system = await auditSystem(app.db, { name: "Visible model" });
    for (let i = 0; i < 6; i += 1) await statisticsConcern(app.db, system.id, Date.now() - i * HOUR, { answerAfterMs: 2 * HOUR, outcome: i < 2 ? "upheld" : undefined });
    await statisticsConcern(app.db, null, Date.now() - HOUR);
    await refreshPublicStatistics(app.db, Date.now());
    for (const lang of LANGUAGES) {
      const response = await app.request(`/${lang}/statistics`);
      expect(response.status).toBe(200);
      const page = await response.text();
      expect(page).toContain(`<html lang="${lang}"`);
      expect(page).toContain(html(tr(lang, "statistics.title")));
      expect(page).toContain(html(tr(lang, "statistics.columns.medianFirstAnswer")));
      expect(page).toContain(html(tr(lang, "statistics.fewerThanFive")));
      expect(page).toContain(html(tr(lang, "statistics.noSystem")));
      expect(page.match(/<table/g)!.length).toBeGreaterThanOrEqual(3);
      // No customer, email or case reference on a public page.
      const [customer] = await app.db.select().from(customers).limit(1);
      expect(page).not.toContain(customer!.id);
      expect(page).not.toMatch(/[\w.+-]+@[\w-]+\.example/);
      expect(page).not.toMatch(/\bC-[A-Z0-9]{4,}/);
    }
    const en = await (await app.request("/en/statistics")).text();
    expect(en).toContain("Visible model");
    expect(en).toContain(html(tr("en", "statistics.hours", { value: "2" })));
  });

  it("a post to the page changes nothing and is not a server error", async () => {
    const response = await app.request("/en/statistics", { form: { anything: "x" } });
    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(response.status).toBeLessThan(500);
  });
});

describe("query plans at scale (SPEC §10 “Growth”)", () => {
  const WATCHED = [...LARGE_TABLES, "public_concern_days", "public_first_answers"];
  const START = Date.parse("2021-07-01T00:00:00Z");
  let database: AnyDatabase;

  beforeAll(async () => {
    database = await freshTestDatabase();
    const { db } = database;
    const [system] = await db.select({ id: aiSystems.id }).from(aiSystems).limit(1);
    const systemId = system!.id;
    await db.transaction(async (tx) => {
      const rows: (typeof concerns.$inferInsert)[] = [];
      for (let i = 0; i < 6000; i += 1) {
        const createdAt = START + Math.floor((i * 1800 * DAY) / 6000);
        rows.push({
          ref: `C-STAT-${i}`,
          contactMethod: "portal",
          lang: "en",
          kind: "other",
          description: "Statistics plan concern",
          desiredOutcome: "",
          systemId,
          status: i % 2 ? "resolved" : "new",
          outcomeCode: i % 2 ? "upheld" : null,
          firstResponseAt: createdAt + (i % 97) * 60_000,
          resolvedAt: i % 2 ? createdAt + HOUR : null,
          createdAt,
          updatedAt: createdAt,
        });
      }
      for (let i = 0; i < rows.length; i += 500) await tx.insert(concerns).values(rows.slice(i, i + 500));
      for (let i = 0; i < 2000; i += 500) {
        const ids = Array.from({ length: 500 }, (_, j) => `stat-customer-${i + j}`);
        await tx.insert(customers).values(ids.map((id) => ({ id, updatedAt: 0 })));
        const acted = await tx
          .insert(interactions)
          .values(ids.map((id, j) => ({ customerId: id, source: "plan", ref: `stat-${i + j}`, channel: "chat", subject: "-", occurredAt: START + Math.floor(((i + j) * 1800 * DAY) / 2000) })))
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
    await rebuildPublicStatistics(db, companyTimeZone(), NOW);
    await executeSql(db, sql`analyze`);
  }, 60_000);

  afterAll(async () => {
    await database.close();
  });

  it("the page's read never touches the concerns and scans no large table", async () => {
    // The day figures grow with days × systems only (thousands of rows, not millions): PostgreSQL rightly reads them
    // whole when the eight quarters are a large part of them; SQLite is held to their primary key.
    const reports = await plansOf(database, (db) => publicStatistics(db, "en", NOW), database.engine === "sqlite" ? WATCHED : LARGE_TABLES);
    expect(describeFullScans(reports)).toBe("");
    expect(reports.map((r) => r.text).filter((text) => /\b(from|join) "concerns"/i.test(text))).toEqual([]);
    const breachReads = reports.filter((r) => /from "permission_breaches"/.test(r.text));
    expect(breachReads.length).toBe(8);
    for (const r of breachReads) expect(r.plan.join(" | ")).toMatch(/permission_breaches_detected_system/);
  });

  it("keeping the figures current reads only the days that changed, by created_at", async () => {
    const { db } = database;
    await db.update(concerns).set({ status: "closed" }).where(sql`${concerns.ref} = 'C-STAT-10'`);
    await db.update(concerns).set({ outcomeCode: "explained" }).where(sql`${concerns.ref} = 'C-STAT-4001'`);
    const reports = await plansOf(database, (observed) => refreshPublicStatistics(observed, NOW), WATCHED);
    expect(describeFullScans(reports)).toBe("");
    const concernReads = reports.filter((r) => /from "concerns"/.test(r.text));
    expect(concernReads).toHaveLength(2);
    for (const r of concernReads) expect(r.plan.join(" | ")).toMatch(database.engine === "sqlite" ? /SEARCH concerns USING INDEX concerns_created/ : /concerns_created/);
  });
});
