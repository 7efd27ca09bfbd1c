import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  addDays,
  buildReports,
  choiceRates,
  concernsByKind,
  concernsBySystem,
  concernsByWeek,
  dayStart,
  defaultRange,
  isoWeek,
  localDay,
  mondayOf,
  neutraliseCell,
  outcomes,
  percentile,
  resolveRange,
  responseTimes,
  toCsv,
  type ReportRange,
} from "../../app/domain/reports.server";
import { refreshReportFigures } from "../../app/domain/report-figures.server";
import type { AnyDatabase, Db } from "../../app/utils/db.server";
import { aiSystems, aiSystemTexts, choiceDefinitions, choiceNotices, concerns, customers, preferences } from "../../db/schema";
import { freshTestDatabase } from "../support/database";
import { describeFullScans, LARGE_TABLES, plansOf } from "../support/query-plans";

const TZ = "Europe/Brussels";
const HOUR = 3_600_000;
/** An instant given as Brussels wall-clock time in winter (UTC+1). */
const brussels = (isoLocal: string) => Date.parse(`${isoLocal}+01:00`);

let database: AnyDatabase;
let db: Db;
let systemA: number;
let systemB: number;
let range: ReportRange;

async function system(slug: string, name: string, status = "active"): Promise<number> {
  const now = Date.UTC(2025, 0, 1);
  const [row] = await db
    .insert(aiSystems)
    .values({ slug, provider: "Nordlys", riskClass: "limited", autonomy: "answers", channels: ["chat"], status, contactEmail: "ai@example.com", lastReviewedAt: now, updatedAt: now })
    .returning({ id: aiSystems.id });
  const id = row!.id;
  const text = { shortDescription: "-", riskReason: "-", purpose: "-", notFor: "-", howItWorks: "-", limitations: "-", dataOperating: "-", dataTraining: "-", legalBasis: "-", oversight: "-", risks: "-", impactAssessment: "-", retention: "-" };
  await db.insert(aiSystemTexts).values({ systemId: id, lang: "en", name, ...text });
  await db.insert(aiSystemTexts).values({ systemId: id, lang: "fr", name: `${name} (fr)`, ...text });
  return id;
}

let refs = 0;
async function concern(input: {
  kind: string;
  systemId?: number | null;
  status?: string;
  createdAt: number;
  firstResponseHours?: number;
  resolvedHours?: number;
  outcome?: string;
}) {
  const { createdAt } = input;
  await db.insert(concerns)
    .values({
      ref: `C-TEST-${String(++refs).padStart(4, "0")}`,
      contactMethod: "portal",
      lang: "en",
      kind: input.kind,
      systemId: input.systemId ?? null,
      description: "Test concern text",
      desiredOutcome: "",
      status: input.status ?? "new",
      outcomeCode: input.outcome ?? null,
      firstResponseAt: input.firstResponseHours === undefined ? null : createdAt + input.firstResponseHours * HOUR,
      resolvedAt: input.resolvedHours === undefined ? null : createdAt + input.resolvedHours * HOUR,
      createdAt,
      updatedAt: createdAt,
    });
}

async function customer(id: string, erased = false) {
  await db.insert(customers).values({ id, updatedAt: 0, erasedAt: erased ? 1 : null });
}

async function choose(customerId: string, choiceKey: string, value: string) {
  await db.insert(preferences).values({ customerId, choiceKey, value, noticeVersion: 1, method: "portal", updatedAt: 0 });
}

beforeEach(async () => {
  // An empty, migrated database: every row below is the whole data set.
  database = await freshTestDatabase({ seeded: false });
  db = database.db;
  systemA = await system("assistant-a", "Assistant A");
  systemB = await system("assistant-b", "Assistant B");
  await system("retired-c", "Retired C", "retired");
  const resolved = resolveRange({ from: "2025-03-03", to: "2025-03-16" }, Date.UTC(2025, 5, 1), TZ);
  if (!resolved.ok) throw new Error("range");
  range = resolved.range;

  // In the period (Monday 3 March to Sunday 16 March 2025, Brussels time):
  await concern({ kind: "explanation", systemId: systemA, status: "resolved", createdAt: brussels("2025-03-03T09:00:00"), firstResponseHours: 2, resolvedHours: 10, outcome: "upheld" });
  await concern({ kind: "explanation", systemId: systemA, status: "closed", createdAt: brussels("2025-03-04T10:00:00"), firstResponseHours: 4, resolvedHours: 20, outcome: "not_upheld" });
  await concern({ kind: "privacy", systemId: systemB, status: "resolved", createdAt: brussels("2025-03-10T08:00:00"), firstResponseHours: 6, resolvedHours: 30, outcome: "partly_upheld" });
  await concern({ kind: "privacy", systemId: null, status: "resolved", createdAt: brussels("2025-03-11T08:00:00"), firstResponseHours: 8, resolvedHours: 40, outcome: "action_reversed" });
  await concern({ kind: "human_review", systemId: systemA, status: "in_progress", createdAt: brussels("2025-03-12T08:00:00"), firstResponseHours: 100 });
  // Reopened after an outcome: counted, answered, but not resolved now.
  await concern({ kind: "wrong_information", systemId: systemB, status: "in_progress", createdAt: brussels("2025-03-13T08:00:00"), firstResponseHours: 1, resolvedHours: 5, outcome: "explained" });
  // Sunday 23:30 in Brussels is still 16 March (22:30 UTC).
  await concern({ kind: "other", systemId: null, status: "new", createdAt: brussels("2025-03-16T23:30:00") });
  // Not counted: spam, merged, and just outside the period in Brussels time.
  await concern({ kind: "other", systemId: systemB, status: "spam", createdAt: brussels("2025-03-05T08:00:00"), firstResponseHours: 1 });
  await concern({ kind: "explanation", systemId: systemA, status: "merged", createdAt: brussels("2025-03-05T09:00:00"), resolvedHours: 1, outcome: "upheld" });
  await concern({ kind: "explanation", systemId: systemA, status: "resolved", createdAt: brussels("2025-03-02T23:30:00"), firstResponseHours: 1, resolvedHours: 1, outcome: "upheld" });
  await concern({ kind: "explanation", systemId: systemA, status: "new", createdAt: brussels("2025-03-17T00:30:00") });

  // Five customers (and one erased) with some explicit choices.
  await db.insert(choiceDefinitions).values([
    { key: "plan-changes", kind: "action", defaultValue: "ask", position: 1 },
    { key: "training", kind: "training", defaultValue: "no", position: 2 },
    { key: "human-first", kind: "human_first", defaultValue: "no", position: 3 },
  ]);
  await db.insert(choiceNotices).values({ choiceKey: "plan-changes", version: 1, lang: "en", label: "Plan changes", explanation: "-" });
  for (const id of ["c1", "c2", "c3", "c4", "c5"]) await customer(id);
  await customer("c6-erased", true);
  await choose("c1", "plan-changes", "allow");
  await choose("c2", "plan-changes", "never");
  await choose("c3", "plan-changes", "ask");
  await choose("c6-erased", "plan-changes", "allow");
  await choose("c1", "training", "yes");
  await choose("c2", "training", "no");
  await choose("c6-erased", "training", "yes");
});

afterEach(async () => {
  await database.close();
});

describe("the period", () => {
  it("covers local days in the display time zone, both ends included", () => {
    expect(range.fromMs).toBe(Date.parse("2025-03-02T23:00:00Z"));
    expect(range.toMs).toBe(Date.parse("2025-03-16T23:00:00Z"));
    // Summer time: 30 March 2025 starts at 23:00 UTC the day before, 31 March at 22:00 UTC.
    expect(dayStart("2025-03-30", TZ)).toBe(Date.parse("2025-03-29T23:00:00Z"));
    expect(dayStart("2025-03-31", TZ)).toBe(Date.parse("2025-03-30T22:00:00Z"));
    expect(localDay(Date.parse("2025-03-16T23:30:00Z"), TZ)).toBe("2025-03-17");
  });

  it("defaults to the last 12 ISO weeks up to today", async () => {
    const now = Date.parse("2025-03-19T12:00:00Z"); // a Wednesday
    const r = defaultRange(now, TZ);
    expect(r.to).toBe("2025-03-19");
    expect(r.from).toBe("2024-12-30"); // Monday of ISO week 2025-W01
    expect(isoWeek(r.from)).toMatchObject({ year: 2025, week: 1 });
    expect(await concernsByWeek(db, r)).toHaveLength(12);
    // Only one end given: the other is filled in the same way.
    const onlyTo = resolveRange({ to: "2025-03-16" }, now, TZ);
    expect(onlyTo.ok && onlyTo.range.from).toBe("2024-12-23");
    const onlyFrom = resolveRange({ from: "2025-03-01" }, now, TZ);
    expect(onlyFrom.ok && onlyFrom.range.to).toBe("2025-03-19");
  });

  it("refuses an end before the start and periods over two years, naming the field", () => {
    const now = Date.parse("2025-03-19T12:00:00Z");
    expect(resolveRange({ from: "2025-03-10", to: "2025-03-09" }, now, TZ)).toEqual({ ok: false, field: "to", error: "order" });
    expect(resolveRange({ from: "2025-04-01" }, now, TZ)).toEqual({ ok: false, field: "from", error: "order" });
    expect(resolveRange({ from: "2022-01-01", to: "2024-12-31" }, now, TZ)).toEqual({ ok: false, field: "to", error: "tooLong" });
    expect(resolveRange({ from: "2023-03-20", to: "2025-03-19" }, now, TZ).ok).toBe(true);
  });

  it("numbers ISO weeks across year ends", () => {
    expect(isoWeek("2021-01-03")).toEqual({ year: 2020, week: 53, monday: "2020-12-28" });
    expect(isoWeek("2024-12-30")).toEqual({ year: 2025, week: 1, monday: "2024-12-30" });
    expect(isoWeek("2025-03-16")).toEqual({ year: 2025, week: 11, monday: "2025-03-10" });
    expect(addDays("2024-02-28", 1)).toBe("2024-02-29");
    // The shortcut the weekly figures take gives the same Monday, leap years and year ends included.
    for (let day = "2020-12-20"; day < "2025-01-10"; day = addDays(day, 1)) expect(mondayOf(day), day).toBe(isoWeek(day).monday);
  });
});

describe("concern figures", () => {
  it("counts concerns per AI system, most first, without spam, merged or out-of-period ones", async () => {
    const rows = await concernsBySystem(db, range, "en");
    expect(rows.map((r) => [r.slug, r.name, r.count])).toEqual([
      ["assistant-a", "Assistant A", 3],
      ["assistant-b", "Assistant B", 2],
      [null, null, 2],
    ]);
    // Names in the staff member's language; a retired system without concerns is left out.
    expect((await concernsBySystem(db, range, "fr"))[0]!.name).toBe("Assistant A (fr)");
  });

  it("counts concerns per kind, every kind listed", async () => {
    const rows = Object.fromEntries((await concernsByKind(db, range)).map((r) => [r.kind, r.count]));
    expect(rows).toEqual({
      explanation: 2,
      human_review: 1,
      unwanted_action: 0,
      wrong_information: 1,
      privacy: 2,
      unfair_treatment: 0,
      not_told_ai: 0,
      other: 1,
    });
  });

  it("counts concerns per ISO week in local time", async () => {
    expect((await concernsByWeek(db, range)).map((w) => [w.isoWeek, w.monday, w.count])).toEqual([
      ["2025-W10", "2025-03-03", 2],
      ["2025-W11", "2025-03-10", 5],
    ]);
  });

  it("computes median and 90th percentile hours to first response and to resolution", async () => {
    const { firstResponse, resolution } = await responseTimes(db, range);
    // First responses: 1, 2, 4, 6, 8, 100 hours.
    expect(firstResponse.count).toBe(6);
    expect(firstResponse.medianHours).toBeCloseTo(5, 10);
    expect(firstResponse.p90Hours).toBeCloseTo(54, 10);
    // Resolved now: 10, 20, 30, 40 hours (the reopened one is not resolved).
    expect(resolution.count).toBe(4);
    expect(resolution.medianHours).toBeCloseTo(25, 10);
    expect(resolution.p90Hours).toBeCloseTo(37, 10);
  });

  it("computes the share upheld: upheld + partly upheld + action reversed over all resolved", async () => {
    const result = await outcomes(db, range);
    expect(result.resolved).toBe(4);
    expect(result.upheld).toBe(3);
    expect(result.shareUpheld).toBe(0.75);
    expect(Object.fromEntries(result.byOutcome.map((o) => [o.code, o.count]))).toEqual({
      upheld: 1,
      partly_upheld: 1,
      action_reversed: 1,
      explained: 0,
      not_upheld: 1,
    });
  });

  it("has no figure rather than a wrong one for an empty period", async () => {
    const empty = resolveRange({ from: "2024-01-01", to: "2024-01-07" }, Date.UTC(2025, 5, 1), TZ);
    if (!empty.ok) throw new Error("range");
    const reports = await buildReports(db, empty.range, "en");
    expect(reports.total).toBe(0);
    expect(reports.responseTimes.firstResponse).toEqual({ count: 0, medianHours: null, p90Hours: null });
    expect(reports.outcomes.shareUpheld).toBeNull();
    expect(reports.byWeek.map((w) => w.count)).toEqual([0]);
  });
});

describe("percentile", () => {
  it("interpolates linearly between the nearest ranks", () => {
    expect(percentile([], 0.5)).toBeNull();
    expect(percentile([7], 0.9)).toBe(7);
    expect(percentile([1, 2, 3, 4, 10], 0.5)).toBe(3);
    expect(percentile([1, 2, 3, 4, 10], 0.9)).toBeCloseTo(7.6, 10);
  });
});

describe("choice rates", () => {
  it("counts every customer's current value, defaults included and shown separately, erased customers left out", async () => {
    const { customers: total, choices } = await choiceRates(db, "en");
    expect(total).toBe(5);
    const byKey = Object.fromEntries(choices.map((c) => [c.key, c]));
    expect(byKey["plan-changes"]!.label).toBe("Plan changes");
    expect(byKey["plan-changes"]!.values).toEqual([
      { value: "allow", explicit: 1, byDefault: 0, total: 1, share: 0.2 },
      { value: "ask", explicit: 1, byDefault: 2, total: 3, share: 0.6 },
      { value: "never", explicit: 1, byDefault: 0, total: 1, share: 0.2 },
    ]);
    expect(byKey.training!.values).toEqual([
      { value: "yes", explicit: 1, byDefault: 0, total: 1, share: 0.2 },
      { value: "no", explicit: 1, byDefault: 3, total: 4, share: 0.8 },
    ]);
    expect(byKey["human-first"]!.values).toEqual([
      { value: "yes", explicit: 0, byDefault: 0, total: 0, share: 0 },
      { value: "no", explicit: 0, byDefault: 5, total: 5, share: 1 },
    ]);
  });
});

describe("queries", () => {
  it("read only the pre-aggregated figures, through their keys, with a fixed number of queries whatever the data", async () => {
    await refreshReportFigures(db, TZ);
    const tables = [...LARGE_TABLES, "report_concern_days", "report_concern_durations"];
    const first = await plansOf(database, (observed) => buildReports(observed, range, "en"), tables);
    // Concerns, customers and preferences are not read: the figures stand for them.
    expect(first.map((r) => r.text).filter((text) => /\b(from|join) "(concerns|customers|preferences)"/i.test(text))).toEqual([]);
    expect(first.some((r) => /"report_concern_durations"/.test(r.text))).toBe(true);
    // The plans: SQLite's (PostgreSQL's planner scans tables this small whatever their indexes; see report-plans.test.ts).
    if (database.engine === "sqlite") expect(describeFullScans(first)).toBe("");
    for (let i = 0; i < 20; i += 1) await concern({ kind: "other", createdAt: brussels("2025-03-06T08:00:00") + i * 1000, firstResponseHours: 1 + i });
    await refreshReportFigures(db, TZ);
    const second = await plansOf(database, (observed) => buildReports(observed, range, "en"), tables);
    expect(second.map((r) => r.text)).toEqual(first.map((r) => r.text));
  });
});

describe("CSV", () => {
  it("neutralises cells that a spreadsheet would run as a formula", () => {
    for (const bad of ["=HYPERLINK(\"http://evil\")", "+1", "-2+3", "@SUM(A1)", "\tx", "\rx"]) expect(neutraliseCell(bad)).toBe(`'${bad}`);
    expect(neutraliseCell("Assistant A")).toBe("Assistant A");
    expect(neutraliseCell(12.5)).toBe("12.5");
    expect(neutraliseCell(null)).toBe("");
    const csv = toCsv([["Name", "Count"], ["=HYPERLINK(\"http://evil\")", 3], ["A, \"quoted\"", null]]);
    expect(csv).toBe('\ufeffName,Count\r\n"\'=HYPERLINK(""http://evil"")",3\r\n"A, ""quoted""",\r\n');
  });
});
