/**
 * A word search's counts are a bounded read (issue 10, SPEC §10 "Growth"): at most the cap + 1
 * matches are read for them. Up to the cap every figure is exact; past it the counts are lower
 * bounds and say so (`countsAreLowerBounds`), the page's own total is at least what the pages
 * showed, and the view's last page knows its total exactly. A whole reference is unchanged.
 * Small caps (`countCap`) keep the cases few; both engines.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { fileConcern, listQueue, type QueueFilters } from "../../app/domain/concerns/index.server";
import { CONCERN_STATUSES, type ConcernStatus } from "../../app/domain/vocabulary";
import type { AnyDatabase } from "../../app/utils/db.server";
import { concerns } from "../../db/schema";
import { freshTestDatabase } from "../support/database";
import { addVolume, analyzeForPlans } from "../support/queue-factories";
import { describeFullScans, plansOf } from "../support/query-plans";
import { fileSearchMatches, times } from "../support/queue-search-factories";

const NOW = Date.UTC(2026, 10, 30, 9, 0, 0);

const list = (database: AnyDatabase, filters: Partial<QueueFilters>, countCap: number) =>
  listQueue(database.db, { status: "open", sort: "due", page: 1, ...filters }, { id: 1 }, "en", NOW, { countCap });

/** How many of `statuses` there are per status (the truth the counts are checked against). */
const tally = (statuses: ConcernStatus[]) => Object.fromEntries(CONCERN_STATUSES.map((s) => [s, statuses.filter((x) => x === s).length])) as Record<ConcernStatus, number>;

describe("bounded word-search counts", () => {
  let database: AnyDatabase;
  beforeEach(async () => {
    database = await freshTestDatabase();
  });
  afterEach(async () => {
    await database.close();
  });

  it("are exact up to the cap, the cap itself included", async () => {
    const statuses: ConcernStatus[] = ["new", "new", "in_progress", "resolved", "closed"];
    await fileSearchMatches(database.db, "quokka", statuses, { now: NOW });
    const truth = tally(statuses);
    for (const cap of [5, 50]) {
      const result = await list(database, { q: "quokka" }, cap);
      expect(result.countsAreLowerBounds).toBe(false);
      expect(result.countsAreCapped).toBe(true);
      for (const s of CONCERN_STATUSES) expect(result.counts[s], s).toBe(truth[s]);
      expect(result.counts.open).toBe(3);
      expect(result.counts.all).toBe(5);
      expect([result.total, result.totalIsLowerBound, result.totalIsMinimum, result.hasNext]).toEqual([3, false, false, false]);
      expect(result.rows).toHaveLength(3);
    }
  });

  it("past the cap are lower bounds, flagged, and read no more than the cap + 1 matches", async () => {
    const statuses = [...times(20, "new"), ...times(10, "escalated"), ...times(30, "resolved")];
    await fileSearchMatches(database.db, "quokka", statuses, { now: NOW });
    const truth = tally(statuses);
    const result = await list(database, { q: "quokka" }, 30);
    expect(result.countsAreLowerBounds).toBe(true);
    // "All" counted cap + 1 (= more than the cap); each status at most its true number.
    expect(result.counts.all).toBe(31);
    expect(CONCERN_STATUSES.reduce((sum, s) => sum + result.counts[s], 0)).toBe(31);
    for (const s of CONCERN_STATUSES) expect(result.counts[s], s).toBeLessThanOrEqual(truth[s]);
    // The open view: 30 cases, a full first page and one more seen, so at least 26 and at most the truth.
    expect(result.hasNext).toBe(true);
    expect(result.rows).toHaveLength(25);
    expect(result.totalIsMinimum).toBe(true);
    expect(result.totalIsLowerBound).toBe(false);
    expect(result.total).toBeGreaterThanOrEqual(26);
    expect(result.total).toBeLessThanOrEqual(30);
    expect(result.counts.open).toBe(result.total);
    expect(result.pageCount).toBe(2);
    // The last page of the view knows the view's size exactly.
    const last = await list(database, { q: "quokka", page: 2 }, 30);
    expect([last.page, last.rows.length, last.hasNext, last.total, last.totalIsMinimum, last.pageCount]).toEqual([2, 5, false, 30, false, 2]);
    expect(last.countsAreLowerBounds).toBe(true);
    expect(last.counts.open).toBe(30);
  });

  it("a view whose cases pass the cap says 'more than' the cap, as other filtered counts do", async () => {
    await fileSearchMatches(database.db, "quokka", times(40, "new"), { now: NOW });
    const result = await list(database, { q: "quokka" }, 10);
    expect(result.countsAreLowerBounds).toBe(true);
    expect([result.total, result.totalIsLowerBound, result.totalIsMinimum, result.pageCount, result.hasNext]).toEqual([10, true, false, 2, true]);
    expect([result.counts.all, result.counts.new]).toEqual([11, 11]);
    // The view's own count: at least the full page and the one case past it.
    expect(result.counts.open).toBe(26);
  });

  it("combine with filters and status tabs: the bound applies to the matches within the filters", async () => {
    await fileSearchMatches(database.db, "quokka", [...times(8, "new"), ...times(12, "resolved")], { kind: "privacy", now: NOW });
    await fileSearchMatches(database.db, "quokka", times(40, "closed"), { kind: "other", now: NOW });
    // Within the kind, 20 matches: under a cap of 20, exact.
    const privacy = await list(database, { q: "quokka", kind: "privacy", status: "resolved" }, 20);
    expect(privacy.countsAreLowerBounds).toBe(false);
    expect([privacy.counts.new, privacy.counts.resolved, privacy.counts.closed, privacy.counts.all, privacy.total]).toEqual([8, 12, 0, 20, 12]);
    expect(privacy.rows.every((r) => r.status === "resolved" && r.kind === "privacy")).toBe(true);
    // The same search without the kind passes the cap: the resolved tab is a lower bound, its page exact.
    const any = await list(database, { q: "quokka", status: "resolved" }, 20);
    expect(any.countsAreLowerBounds).toBe(true);
    expect(any.counts.all).toBe(21);
    expect([any.total, any.totalIsMinimum, any.hasNext, any.rows.length]).toEqual([12, false, false, 12]);
    expect(any.counts.new).toBeLessThanOrEqual(8);
    // Another word in the same cases narrows nothing here, and a word no case has finds nothing, exactly.
    const none = await list(database, { q: "quokka wallaby" }, 20);
    expect([none.countsAreLowerBounds, none.counts.all, none.total, none.rows.length]).toEqual([false, 0, 0, 0]);
  });

  it("a whole reference is found in any status and counted exactly, whatever the cap", async () => {
    await fileSearchMatches(database.db, "quokka", times(40, "new"), { now: NOW });
    const { ref } = await fileConcern(database.db, {
      customerId: "demo-customer-1",
      contactEmail: null,
      contactMethod: "portal",
      lang: "en",
      kind: "other",
      interactionId: null,
      systemId: null,
      description: "A quokka in a case that is closed now.",
      desiredOutcome: "",
    });
    await database.db.update(concerns).set({ status: "closed" }).where(eq(concerns.ref, ref));
    const result = await list(database, { q: ref.toLowerCase().replace(/-/g, "") }, 5);
    expect(result.countsAreLowerBounds).toBe(false);
    expect(result.rows.map((r) => r.ref)).toEqual([ref]);
    expect([result.total, result.totalIsLowerBound, result.totalIsMinimum, result.counts.closed, result.counts.new, result.counts.all]).toEqual([1, false, false, 1, 0, 1]);
  });
});

describe("bounded word-search counts: query plans at volume (SPEC §10 Growth)", () => {
  let database: AnyDatabase;
  beforeAll(async () => {
    database = await freshTestDatabase();
    await addVolume(database.db, { customers: 3000, interactionsPerCustomer: 1, decisionsPerCustomer: 0, concerns: 4000, openShare: 0.05, now: NOW });
    await analyzeForPlans(database);
  }, 120_000);
  afterAll(async () => {
    await database?.close();
  });

  it.each([1000, 50])("the count reads the full-text index with a LIMIT, and the page no sort of all matches (cap %i)", async (cap) => {
    const work = (db: Parameters<typeof listQueue>[0]) => listQueue(db, { status: "open", sort: "due", page: 1, q: "invoice" }, { id: 1 }, "en", NOW, { countCap: cap });
    const result = await work(database.db);
    expect(result.countsAreLowerBounds).toBe(cap === 50);
    const reports = await plansOf(database, work);
    expect(describeFullScans(reports)).toBe("");
    const count = reports.find((r) => /count\(\*\)/.test(r.text) && /"concerns"/.test(r.text));
    expect(count, reports.map((r) => r.text).join("\n")).toBeDefined();
    expect(count!.params).toContain(cap + 1);
    const plan = count!.plan.join("\n");
    expect(plan).toMatch(database.engine === "sqlite" ? /concerns_fts VIRTUAL TABLE INDEX/ : /Bitmap Index Scan.*concerns_search/s);
    // The read stops at cap + 1 rows: a LIMIT (SQLite) or the row number's run condition (PostgreSQL).
    expect(count!.text).toMatch(database.engine === "sqlite" ? /limit \?/ : /row_number\(\) over \(\)/);
    if (database.engine === "sqlite") {
      // Streamed from the full-text index, newest first, with no sort of the matches.
      expect(plan).not.toMatch(/TEMP B-TREE FOR ORDER BY|LIST SUBQUERY/);
      if (cap === 50) {
        const page = reports.find((r) => /substr\("description"/.test(r.text))!.plan.join("\n");
        expect(page).toMatch(/concerns_open_due/);
        expect(page).not.toMatch(/TEMP B-TREE FOR ORDER BY/);
      }
    }
  });
});
