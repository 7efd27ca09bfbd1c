/**
 * SPEC §10 "Growth": the staff queue, its search, a customer's interactions and the decision
 * check read through indexes — no full scan of a table that grows with customers — on both
 * engines, checked on the plans the engines choose for the very statements the domain runs, on
 * a database with a few thousand rows and fresh statistics.
 */
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decide } from "../../app/domain/decisions.server";
import { listQueue, type QueueFilters } from "../../app/domain/concerns/index.server";
import { customerTimeline } from "../../app/domain/timeline.server";
import { backfillSearchText, type AnyDatabase } from "../../app/utils/db.server";
import { aiSystems, staffUsers } from "../../db/schema";
import { freshTestDatabase } from "../support/database";
import { addVolume, analyzeForPlans, volumeCustomerId } from "../support/queue-factories";
import { describeFullScans, plansOf, type PlanReport } from "../support/query-plans";

const NOW = Date.UTC(2026, 10, 30, 9, 0, 0);
let database: AnyDatabase;
let agentId: number;
let systemId: number;

beforeAll(async () => {
  database = await freshTestDatabase();
  await addVolume(database.db, { customers: 3000, interactionsPerCustomer: 3, decisionsPerCustomer: 2, concerns: 4000, openShare: 0.05, now: NOW });
  await analyzeForPlans(database);
  const [agent] = await database.db.select({ id: staffUsers.id }).from(staffUsers).where(eq(staffUsers.email, "agent@nordlys.example")).limit(1);
  agentId = agent!.id;
  const [system] = await database.db.select({ id: aiSystems.id }).from(aiSystems).where(eq(aiSystems.slug, "offer-predictor")).limit(1);
  systemId = system!.id;
}, 120_000);

afterAll(async () => {
  await database?.close();
});

const queue = (filters: Partial<QueueFilters>) => (db: Parameters<typeof listQueue>[0]) =>
  listQueue(db, { status: "open", sort: "due", page: 1, ...filters }, { id: agentId }, "en", NOW);

/** Every plan line of the statements that read concerns, for positive checks (which index served). */
const concernPlans = (reports: PlanReport[]) => reports.filter((r) => /from "concerns"/.test(r.text)).flatMap((r) => r.plan).join("\n");

describe("query plans at volume (SPEC §10 Growth)", () => {
  it("the queue's first page, sorted by due date, reads the open cases' due-date index", async () => {
    const reports = await plansOf(database, queue({}));
    expect(describeFullScans(reports)).toBe("");
    expect(concernPlans(reports)).toMatch(/concerns_open_due/);
  });

  it("sorted by filing time, every status by due date, and one finished status", async () => {
    const created = await plansOf(database, queue({ sort: "created" }));
    expect(describeFullScans(created)).toBe("");
    expect(concernPlans(created)).toMatch(/concerns_open_created/);
    const all = await plansOf(database, queue({ status: "all" }));
    expect(describeFullScans(all)).toBe("");
    expect(concernPlans(all)).toMatch(/concerns_due\b/);
    const resolved = await plansOf(database, queue({ status: "resolved" }));
    expect(describeFullScans(resolved)).toBe("");
    expect(concernPlans(resolved)).toMatch(/concerns_finished_due/);
  });

  it.each<[string, Partial<QueueFilters>]>([
    ["assigned to me", { assignee: "me" }],
    ["unassigned", { assignee: "none" }],
    ["unassigned, all statuses", { assignee: "none", status: "all" }],
    ["one AI system", { systemId: 0 }],
    ["one AI system, assigned to me", { systemId: 0, assignee: "me" }],
    ["breach cases", { origin: "breach" }],
    ["overdue", { overdue: true }],
    ["overdue, all statuses", { overdue: true, status: "all" }],
    ["kind, language and priority", { kind: "privacy", lang: "de", priority: "high" }],
  ])("a filtered page: %s", async (_, filters) => {
    const reports = await plansOf(database, queue({ ...filters, ...(filters.systemId === 0 ? { systemId } : {}) }));
    expect(reports.length).toBeGreaterThan(1);
    expect(describeFullScans(reports)).toBe("");
  });

  it.each(["uberweisung", "rou", "Kündigung refund", 'NEAR "x" * -y', "C-0012-P012"])("a search: %s", async (q) => {
    for (const status of ["open", "all"] as const) {
      const reports = await plansOf(database, queue({ q, status }));
      expect(describeFullScans(reports)).toBe("");
    }
  });

  it("the search finds by index and by prefix, within the filters", async () => {
    const found = await queue({ q: "kundig", status: "all" })(database.db);
    expect(found.rows.length).toBeGreaterThan(0);
    expect(found.rows.every((r) => /kündigung/i.test(r.excerpt))).toBe(true);
    const plans = concernPlans(await plansOf(database, queue({ q: "kundig", status: "all" })));
    expect(plans).toMatch(database.engine === "sqlite" ? /concerns_fts|VIRTUAL TABLE INDEX/ : /concerns_search/);
  });

  it("unfiltered counts are exact from the maintained table; filtered ones stop at the cap and say so", async () => {
    const exact = await queue({ status: "all" })(database.db);
    expect(exact.countsAreCapped).toBe(false);
    expect(exact.counts.all).toBeGreaterThan(4000);
    expect(exact.total).toBe(exact.counts.all);
    expect(exact.pageCount).toBe(Math.ceil(exact.counts.all / 25));
    const all = await queue({ status: "all", origin: "customer" })(database.db);
    expect(all.countsAreCapped).toBe(true);
    expect(all.counts.all).toBe(1001);
    expect(all.totalIsLowerBound).toBe(true);
    expect(all.total).toBe(1000);
    expect(all.pageCount).toBe(40);
    const deep = await queue({ status: "all", origin: "customer", page: 40 })(database.db);
    // Further pages stay reachable: the count window moves with the page.
    expect(deep.page).toBe(40);
    expect(deep.pageCount).toBeGreaterThan(40);
    expect(deep.rows).toHaveLength(25);
  });

  it("the start-up backfill of search texts reads its partial index, not the table", async () => {
    const reports = await plansOf(database, (db) => backfillSearchText(db));
    expect(reports).toHaveLength(1);
    expect(describeFullScans(reports)).toBe("");
    expect(reports[0]!.plan.join("\n")).toMatch(/concerns_search_pending/);
  });

  it("a customer's interactions page", async () => {
    const reports = await plansOf(database, (db) => customerTimeline(db, volumeCustomerId(17), "en", 1, NOW));
    expect(reports.some((r) => /from "interactions"/.test(r.text))).toBe(true);
    expect(describeFullScans(reports)).toBe("");
    // The page's breaches by their interactions, not by a walk of the whole detected_at index
    // to spare a sort (a growth run flagged that walk at 100,000 customers).
    const breaches = reports.filter((r) => /from "permission_breaches"/.test(r.text)).flatMap((r) => r.plan).join("\n");
    expect(breaches).toMatch(/permission_breaches_interaction/);
    expect(breaches).not.toMatch(/permission_breaches_detected_system/);
  });

  it("the decision check's facts query and its record", async () => {
    const reports = await plansOf(database, (db) => decide(db, { customerId: volumeCustomerId(23), actionKey: "plan-changes", aiSystemSlug: "offer-predictor", now: NOW }));
    expect(reports.length).toBeGreaterThan(0);
    expect(describeFullScans(reports)).toBe("");
  });
});
