/**
 * The pre-aggregated report figures (report-figures.server.ts) against the scanning computation
 * they replaced (test/support/report-oracle.ts): random writes by any writer — the domain, raw
 * statements as seeds and the hot path do them — then the reports must give the same numbers.
 */
import fc from "fast-check";
import { and, asc, eq, inArray } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { eraseCustomer } from "../../app/domain/customer-erasure.server";
import { upsertCustomer } from "../../app/domain/customers.server";
import { savePreferences } from "../../app/domain/preferences.server";
import { rebuildReportFigures, refreshReportFigures } from "../../app/domain/report-figures.server";
import { buildReports, OUTCOME_CODES, resolveRange, type ReportRange, type Reports } from "../../app/domain/reports.server";
import { addDays, dayStart } from "../../app/utils/calendar";
import type { AnyDatabase, Db } from "../../app/utils/db.server";
import { aiSystems, concerns, customers, preferences, reportChoiceChanges, reportConcernChanges, reportConcernDays, reportFiguresState } from "../../db/schema";
import { freshTestDatabase } from "../support/database";
import { observe } from "../support/query-plans";
import { scanReports, type OracleReports } from "../support/report-oracle";

const TZ = "Europe/Brussels";
const HOUR = 3_600_000;
/** Four ISO weeks around the spring clock change (30 March 2025 has 23 hours in Brussels). */
const WINDOW = { from: "2025-03-17", to: "2025-04-13" };
const WINDOW_START = Date.parse("2025-03-16T23:00:00Z");
const WINDOW_END = Date.parse("2025-04-13T22:00:00Z");
const CUSTOMERS = ["prop-1", "prop-2", "prop-3", "prop-4", "prop-5"];
const CHOICES: Record<string, readonly string[]> = { "plan-changes": ["allow", "ask", "never"], training: ["yes", "no"], "human-first": ["yes", "no"] };
const KINDS = ["explanation", "privacy", "other", "human_review"];
const STATUSES = ["new", "in_progress", "waiting_customer", "resolved", "closed", "spam", "merged"];

let database: AnyDatabase;
let db: Db;
let systems: number[];
let refs = 0;

beforeEach(async () => {
  database = await freshTestDatabase();
  db = database.db;
  systems = (await db.select({ id: aiSystems.id }).from(aiSystems).orderBy(asc(aiSystems.id)).limit(2)).map((s) => s.id);
});

afterEach(async () => {
  await database.close();
});

const rangeOf = (from: string, to: string): ReportRange => {
  const resolved = resolveRange({ from, to }, Date.UTC(2026, 0, 1), TZ);
  if (!resolved.ok) throw new Error("range");
  return resolved.range;
};

/** The aggregated reports in the oracle's shape (zero rows left out, as a scan has none). */
function shapeOf(reports: Reports): OracleReports {
  const nonZero = (rows: [string, number][]) => Object.fromEntries(rows.filter(([, n]) => n > 0));
  const explicit: [string, number][] = reports.choices.choices.flatMap((c) => c.values.map((v): [string, number] => [`${c.key}/${v.value}`, v.explicit]));
  return {
    bySystem: nonZero(reports.bySystem.map((r) => [String(r.systemId ?? ""), r.count])),
    byKind: nonZero(reports.byKind.map((r) => [r.kind, r.count])),
    byWeek: nonZero(reports.byWeek.map((w) => [w.monday, w.count])),
    firstResponse: reports.responseTimes.firstResponse,
    resolution: reports.responseTimes.resolution,
    byOutcome: nonZero(reports.outcomes.byOutcome.map((o) => [o.code, o.count])),
    customers: reports.choices.customers,
    explicit: nonZero(explicit),
  };
}

/** Equal figures; percentiles within half a second (the figures keep whole seconds). */
function expectSame(actual: OracleReports, expected: OracleReports) {
  const { firstResponse, resolution, ...counts } = actual;
  const { firstResponse: f, resolution: r, ...expectedCounts } = expected;
  expect(counts).toEqual(expectedCounts);
  for (const [a, e] of [
    [firstResponse, f],
    [resolution, r],
  ] as const) {
    expect(a.count).toBe(e.count);
    for (const key of ["medianHours", "p90Hours"] as const) {
      if (e[key] === null) expect(a[key]).toBeNull();
      else expect(Math.abs(a[key]! - e[key]!)).toBeLessThanOrEqual(0.5 / 3600 + 1e-9);
    }
  }
}

async function expectMatchesScan(ranges: [string, string][] = [[WINDOW.from, WINDOW.to], ["2025-03-24", "2025-04-01"], ["2025-03-30", "2025-03-30"]]) {
  for (const [from, to] of ranges) {
    const range = rangeOf(from, to);
    expectSame(shapeOf(await buildReports(db, range, "en")), await scanReports(db, range));
  }
}

// ── Random writes ──────────────────────────────────────────────────────────
const instant = fc.oneof(
  fc.integer({ min: WINDOW_START - 2 * 24 * HOUR, max: WINDOW_END + 2 * 24 * HOUR }),
  // Right at a local midnight, or a millisecond either side.
  fc.tuple(fc.integer({ min: 0, max: 31 }), fc.constantFrom(-1, 0, 1)).map(([day, offset]) => dayStart(addDays("2025-03-15", day), TZ) + offset),
);
const duration = fc.option(fc.integer({ min: 0, max: 12 * 24 * HOUR }), { nil: null });

const op = fc.oneof(
  { weight: 5, arbitrary: fc.record({ t: fc.constant("file" as const), at: instant, kind: fc.constantFrom(...KINDS), system: fc.nat(2), status: fc.constantFrom(...STATUSES), breach: fc.boolean(), first: duration, resolved: duration, outcome: fc.option(fc.constantFrom(...OUTCOME_CODES), { nil: null }) }) },
  { weight: 3, arbitrary: fc.record({ t: fc.constant("update" as const), pick: fc.nat(), status: fc.constantFrom(...STATUSES), outcome: fc.option(fc.constantFrom(...OUTCOME_CODES), { nil: null }), at: fc.option(instant, { nil: null }), system: fc.nat(2), kind: fc.constantFrom(...KINDS), first: duration }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant("delete" as const), pick: fc.nat() }) },
  { weight: 4, arbitrary: fc.record({ t: fc.constant("choose" as const), customer: fc.constantFrom(...CUSTOMERS), key: fc.constantFrom(...Object.keys(CHOICES)), pick: fc.nat(), viaDomain: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant("unchoose" as const), customer: fc.constantFrom(...CUSTOMERS), key: fc.constantFrom(...Object.keys(CHOICES)) }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant("erase" as const), customer: fc.constantFrom(...CUSTOMERS), viaDomain: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant("refresh" as const) }) },
);
type Op = typeof op extends fc.Arbitrary<infer T> ? T : never;

const filed: number[] = [];

async function apply(o: Op) {
  const systemOf = (n: number) => (n === 2 ? null : systems[n]!);
  switch (o.t) {
    case "file": {
      const [row] = await db
        .insert(concerns)
        .values({
          ref: `C-PROP-${++refs}`,
          contactMethod: "portal",
          lang: "en",
          kind: o.kind,
          systemId: systemOf(o.system),
          description: "Property test concern",
          desiredOutcome: "",
          origin: o.breach ? "breach" : "customer",
          status: o.status,
          outcomeCode: o.outcome,
          firstResponseAt: o.first === null ? null : o.at + o.first,
          resolvedAt: o.resolved === null ? null : o.at + o.resolved,
          createdAt: o.at,
          updatedAt: o.at,
        })
        .returning({ id: concerns.id });
      filed.push(row!.id);
      return;
    }
    case "update": {
      if (filed.length === 0) return;
      const id = filed[o.pick % filed.length]!;
      const [current] = await db.select({ createdAt: concerns.createdAt }).from(concerns).where(eq(concerns.id, id)).limit(1);
      const at = o.at ?? current!.createdAt;
      await db
        .update(concerns)
        .set({ status: o.status, outcomeCode: o.outcome, createdAt: at, systemId: systemOf(o.system), kind: o.kind, firstResponseAt: o.first === null ? null : at + o.first })
        .where(eq(concerns.id, id));
      return;
    }
    case "delete": {
      if (filed.length === 0) return;
      const [id] = filed.splice(o.pick % filed.length, 1);
      await db.delete(concerns).where(eq(concerns.id, id!));
      return;
    }
    case "choose": {
      const values = CHOICES[o.key]!;
      const value = values[o.pick % values.length]!;
      const [customer] = await db.select({ erasedAt: customers.erasedAt }).from(customers).where(eq(customers.id, o.customer)).limit(1);
      if (!customer) await upsertCustomer(db, { id: o.customer });
      if (o.viaDomain && !customer?.erasedAt) {
        await savePreferences(db, { customerId: o.customer, values: { [o.key]: value }, lang: "en", method: "portal" });
      } else {
        await db
          .insert(preferences)
          .values({ customerId: o.customer, choiceKey: o.key, value, noticeVersion: 1, method: "api", updatedAt: 0 })
          .onConflictDoUpdate({ target: [preferences.customerId, preferences.choiceKey], set: { value } });
      }
      return;
    }
    case "unchoose":
      await db.delete(preferences).where(and(eq(preferences.customerId, o.customer), eq(preferences.choiceKey, o.key)));
      return;
    case "erase":
      if (o.viaDomain) await eraseCustomer(db, { customerId: o.customer, actor: { type: "system" } });
      else await db.update(customers).set({ erasedAt: 1 }).where(eq(customers.id, o.customer));
      return;
    case "refresh":
      await refreshReportFigures(db, TZ);
      return;
  }
}

describe("report figures (issue 10): the same numbers as scanning", () => {
  it("after random writes of every kind, the reports equal the scanning computation", async () => {
    await expectMatchesScan();
    filed.length = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 25 }), async (ops) => {
        for (const o of ops) await apply(o);
        await expectMatchesScan();
      }),
      { numRuns: Number(process.env.REPORT_FIGURE_RUNS ?? 12), seed: process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : undefined },
    );
  });

  it("queues every change in the writer's transaction: a rolled-back write leaves no trace", async () => {
    await refreshReportFigures(db, TZ);
    await expect(
      db.transaction(async (tx) => {
        await tx.insert(customers).values({ id: "rolled-back", updatedAt: 0 });
        await tx.insert(preferences).values({ customerId: "rolled-back", choiceKey: "training", value: "yes", noticeVersion: 1, method: "api", updatedAt: 0 });
        await tx.insert(concerns).values({ ref: "C-ROLLBACK", contactMethod: "portal", lang: "en", kind: "other", description: "x", desiredOutcome: "", createdAt: WINDOW_START, updatedAt: 0 });
        throw new Error("roll back");
      }),
    ).rejects.toThrow("roll back");
    expect(await db.select().from(reportChoiceChanges)).toEqual([]);
    expect(await db.select().from(reportConcernChanges)).toEqual([]);
  });

  it("an update that changes nothing the reports read queues nothing", async () => {
    await upsertCustomer(db, { id: "quiet" });
    const [row] = await db
      .insert(concerns)
      .values({ ref: "C-QUIET", contactMethod: "portal", lang: "en", kind: "other", description: "x", desiredOutcome: "", createdAt: WINDOW_START, updatedAt: 0 })
      .returning({ id: concerns.id });
    await refreshReportFigures(db, TZ);
    await db.update(concerns).set({ priority: "high", updatedAt: 5 }).where(eq(concerns.id, row!.id));
    await db.update(customers).set({ locale: "fr" }).where(eq(customers.id, "quiet"));
    expect(await db.select().from(reportConcernChanges)).toEqual([]);
    expect(await db.select().from(reportChoiceChanges)).toEqual([]);
    await db.update(concerns).set({ status: "in_progress" }).where(eq(concerns.id, row!.id));
    expect(await db.select({ filedAt: reportConcernChanges.filedAt }).from(reportConcernChanges)).toEqual([{ filedAt: WINDOW_START }]);
  });

  it("several refreshes at once (several instances) give the same figures as one", async () => {
    await refreshReportFigures(db, TZ);
    for (let i = 0; i < 30; i += 1) {
      await apply({ t: "file", at: WINDOW_START + i * 7 * HOUR, kind: KINDS[i % KINDS.length]!, system: i % 3, status: STATUSES[i % STATUSES.length]!, breach: false, first: i * 1000, resolved: i * 60_000, outcome: OUTCOME_CODES[i % OUTCOME_CODES.length]! });
      await apply({ t: "choose", customer: CUSTOMERS[i % CUSTOMERS.length]!, key: "training", pick: i, viaDomain: false });
    }
    const results = await Promise.all([refreshReportFigures(db, TZ), refreshReportFigures(db, TZ), refreshReportFigures(db, TZ)]);
    expect(results.reduce((n, r) => n + r.days, 0)).toBeGreaterThan(0);
    await expectMatchesScan();
  });

  it("a burst of changes over many days is folded in a month of days per transaction, all of it", async () => {
    await refreshReportFigures(db, TZ);
    for (let day = 0; day < 70; day += 1) {
      await apply({ t: "file", at: WINDOW_START - 40 * 24 * HOUR + day * 24 * HOUR, kind: "privacy", system: day % 3, status: "resolved", breach: false, first: day * 60_000, resolved: day * HOUR, outcome: "upheld" });
    }
    const result = await refreshReportFigures(db, TZ);
    expect(result.days).toBeGreaterThanOrEqual(70);
    expect(await db.select().from(reportConcernChanges)).toEqual([]);
    await expectMatchesScan([["2025-02-01", WINDOW.to]]);
  });

  it("a change folded in by another instance is seen at once (the kept percentiles follow the figures' version)", async () => {
    const range = rangeOf(WINDOW.from, WINDOW.to);
    const before = (await buildReports(db, range, "en")).responseTimes.firstResponse;
    const other = observe(database);
    try {
      await apply({ t: "file", at: WINDOW_START + HOUR, kind: "other", system: 0, status: "new", breach: false, first: 1000 * HOUR, resolved: null, outcome: null });
      await refreshReportFigures(other.database.db, TZ);
      const after = (await buildReports(db, range, "en")).responseTimes.firstResponse;
      expect(after.count).toBe(before.count + 1);
      expectSame(shapeOf(await buildReports(db, range, "en")), await scanReports(db, range));
    } finally {
      await other.close();
    }
  });

  it("rebuilds everything for another display time zone, and on demand", async () => {
    await apply({ t: "file", at: Date.parse("2025-03-20T23:30:00Z"), kind: "other", system: 0, status: "new", breach: false, first: null, resolved: null, outcome: null });
    await refreshReportFigures(db, TZ);
    const days = async () => (await db.select({ day: reportConcernDays.day }).from(reportConcernDays).where(and(eq(reportConcernDays.dimension, "kind"), inArray(reportConcernDays.day, ["2025-03-20", "2025-03-21"])))).map((r) => r.day);
    // 23:30 UTC is already the 21st in Brussels, still the 20th in London.
    expect(await days()).toEqual(["2025-03-21"]);
    expect((await refreshReportFigures(db, "Europe/London")).rebuilt).toBe(true);
    expect(await days()).toEqual(["2025-03-20"]);
    const [state] = await db.select().from(reportFiguresState).limit(1);
    expect(state!.timeZone).toBe("Europe/London");
    await rebuildReportFigures(db, TZ);
    expect(await days()).toEqual(["2025-03-21"]);
    expect((await refreshReportFigures(db, TZ)).rebuilt).toBe(false);
    await expectMatchesScan();
  });
});
