/**
 * The queue served by indexes (issue 10): the stored due key (`concerns.due_at`) agrees with the
 * exact deadlines after any sequence of changes, the counts stop at their cap, and the search
 * by index keeps its rules — words matched by prefix, every word needed, case and accents
 * ignored, any query text harmless.
 */
import fs from "node:fs";
import { count, eq, inArray } from "drizzle-orm";
import fc from "fast-check";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  addCustomerReply,
  ConcernStateError,
  fileConcern,
  findConcernByRef,
  isOverdue,
  listQueue,
  postStaffMessage,
  setConcernStatus,
  setKind,
  type ConcernKind,
  type QueueFilters,
  type StaffActor,
} from "../../app/domain/concerns/index.server";
import { SEARCH_WORD_MAX, searchWords, truncateText } from "../../app/utils/text";
import { eraseCustomer } from "../../app/domain/customer-erasure.server";
import { truncateWal, type AnyDatabase, type Db } from "../../app/utils/db.server";
import { concernStatusCounts, concerns, staffUsers } from "../../db/schema";
import { freshTestDatabase, seededSqliteDatabase } from "../support/database";

let database: AnyDatabase;
let db: Db;
let agent: StaffActor;
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const T0 = Date.UTC(2025, 2, 3, 9, 0, 0);

beforeEach(async () => {
  database = await freshTestDatabase();
  db = database.db;
  const [row] = await db.select().from(staffUsers).where(eq(staffUsers.email, "agent@nordlys.example")).limit(1);
  agent = { id: row!.id, role: row!.role, name: row!.name };
});
afterEach(async () => {
  await database.close();
});

const file = async (description: string, overrides: { kind?: ConcernKind; now?: number; desiredOutcome?: string } = {}) =>
  (
    await fileConcern(db, {
      customerId: "demo-customer-1",
      contactEmail: null,
      contactMethod: "portal",
      lang: "de",
      kind: overrides.kind ?? "other",
      interactionId: null,
      systemId: null,
      description,
      desiredOutcome: overrides.desiredOutcome ?? "",
      now: overrides.now ?? T0,
    })
  ).ref;

const refs = async (filters: Partial<QueueFilters>, now = T0) =>
  (await listQueue(db, { status: "open", sort: "due", page: 1, ...filters }, agent, "en", now)).rows.map((r) => r.ref);

describe("the stored due key", () => {
  type Step = { kind: "wait" | "answer" | "reply" | "rights" | "other" | "resume" | "resolve"; after: number };
  const step = fc.record({
    kind: fc.constantFrom<Step["kind"]>("wait", "answer", "reply", "rights", "other", "resume", "resolve"),
    after: fc.integer({ min: 1, max: 30 * DAY }),
  });

  let runs = 0;
  it("after any sequence of changes, 'overdue' by the stored key is exactly isOverdue at any later time", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(step, { maxLength: 6 }), fc.boolean(), fc.array(fc.integer({ min: 0, max: 90 * DAY }), { minLength: 1, maxLength: 3 }), async (steps, rights, probes) => {
        const word = `fall${++runs}`;
        const ref = await file(`Mein Vertrag wurde ohne Nachfrage geändert (${word}).`, { kind: rights ? "privacy" : "other" });
        let now = T0;
        for (const s of steps) {
          now += s.after;
          const current = (await findConcernByRef(db, ref))!;
          try {
            if (s.kind === "wait") await setConcernStatus(db, current, "waiting_customer", { now });
            else if (s.kind === "resume") await setConcernStatus(db, current, "in_progress", { now });
            else if (s.kind === "answer") await addCustomerReply(db, current, "Hier ist die Antwort.", now);
            else if (s.kind === "reply") await postStaffMessage(db, ref, agent, { body: "Wir prüfen das.", visibility: "public" }, { now });
            else if (s.kind === "rights" || s.kind === "other") await setKind(db, ref, agent, s.kind === "rights" ? "explanation" : "other", { now });
            else await setConcernStatus(db, current, "resolved", { outcomeCode: "explained", outcomeReason: "Erklärt.", now });
          } catch (error) {
            // A move the status machine refuses (e.g. waiting twice): the case stays as it was.
            if (!(error instanceof ConcernStateError)) throw error;
          }
        }
        const stored = (await findConcernByRef(db, ref))!;
        // The maintained counts per status are the real ones after every change.
        const real = await db.select({ status: concerns.status, n: count() }).from(concerns).groupBy(concerns.status);
        const kept = await db.select().from(concernStatusCounts);
        for (const { status, n } of real) expect(Number(kept.find((k) => k.status === status)?.n), status).toBe(n);
        expect(kept.reduce((sum, k) => sum + Number(k.n), 0)).toBe(real.reduce((sum, r) => sum + r.n, 0));
        for (const probe of probes) {
          const at = now + probe;
          expect((await refs({ overdue: true, status: "all", q: word }, at)).includes(ref), `overdue at +${probe}`).toBe(isOverdue(stored, at));
        }
      }),
      { numRuns: 40, seed: 10 },
    );
  }, 60_000);

  it("a paused case sorts by its statutory date (the SLA clock is stopped), and shows its exact due date", async () => {
    const paused = await file("Pausiert, Frist läuft.", { kind: "privacy" });
    const plain = await file("Ohne gesetzliche Frist.", { now: T0 + HOUR });
    await setConcernStatus(db, (await findConcernByRef(db, paused))!, "waiting_customer", { now: T0 + 2 * HOUR });
    const [row] = await db.select({ dueAt: concerns.dueAt, statutory: concerns.statutoryDueAt }).from(concerns).where(eq(concerns.ref, paused)).limit(1);
    expect(row!.dueAt).toBe(row!.statutory);
    const page = await listQueue(db, { status: "open", sort: "due", page: 1 }, agent, "en", T0 + 10 * DAY);
    const mine = page.rows.filter((r) => r.ref === paused || r.ref === plain);
    // The plain case is due 48 h after filing; the paused one at its statutory date, a month on.
    expect(mine.map((r) => r.ref)).toEqual([plain, paused]);
    // Shown: the SLA moved along with the pause (filed T0, due T0+48h, paused at T0+2h, seen at T0+10d).
    expect(mine[1]!.dueAt).toBe(T0 + 48 * HOUR + (10 * DAY - 2 * HOUR));
    expect(mine[1]!.overdue).toBe(false);
  });
});

describe("counts", () => {
  it("without filters are exact, from the counts the triggers keep, also after deletes", async () => {
    const before = await listQueue(db, { status: "open", sort: "due", page: 1 }, agent, "en", T0);
    expect(before.countsAreCapped).toBe(false);
    const ref = await file("Noch ein Anliegen.");
    await setConcernStatus(db, (await findConcernByRef(db, ref))!, "spam", { now: T0 + HOUR });
    const after = await listQueue(db, { status: "open", sort: "due", page: 1 }, agent, "en", T0);
    expect(after.counts.spam).toBe(before.counts.spam + 1);
    expect(after.counts.all).toBe(before.counts.all + 1);
    expect(after.counts.open).toBe(before.counts.open);
    await db.delete(concerns).where(eq(concerns.ref, ref));
    expect((await listQueue(db, { status: "spam", sort: "due", page: 1 }, agent, "en", T0)).total).toBe(before.counts.spam);
  });

  it("stop at the cap: 'more than 1,000' without counting further, and paging still reaches the end", async () => {
    const rows = Array.from({ length: 1030 }, (_, i) => ({
      ref: `C-${String(i).padStart(4, "0")}-TEST`,
      contactMethod: "portal",
      lang: "en",
      kind: "other",
      description: `bulk ${i}`,
      desiredOutcome: "",
      searchText: `bulk ${i}`,
      createdAt: T0 + i,
      updatedAt: T0 + i,
      slaDueAt: T0 + DAY + i,
    }));
    for (let i = 0; i < rows.length; i += 200) await db.insert(concerns).values(rows.slice(i, i + 200));
    const first = await listQueue(db, { status: "open", sort: "due", page: 1, q: "bulk" }, agent, "en", T0);
    expect(first.counts.open).toBe(1001);
    expect(first.counts.new).toBe(1001);
    expect(first.counts.resolved).toBe(0);
    expect(first.totalIsLowerBound).toBe(true);
    expect(first.total).toBe(1000);
    const last = await listQueue(db, { status: "open", sort: "due", page: 42, q: "bulk" }, agent, "en", T0);
    // Page 42 moves the count window: 1,030 found, so the count is exact again.
    expect(last.totalIsLowerBound).toBe(false);
    expect(last.total).toBe(1030);
    expect(last.pageCount).toBe(42);
    expect(last.rows.map((r) => r.ref)).toEqual(rows.slice(1025).map((r) => r.ref));
  });
});

describe("the rows of a page", () => {
  it("show the excerpt of the whole description, from a short read of it or, when that cannot decide, the whole text", async () => {
    const stacked = "e\u0301\u0302\u0303\u0304\u0305\u0306\u0307\u0308\u0309\u030a\u030b\u030c\u030d\u030e\u030f";
    const family = "👨\u200d👩\u200d👧\u200d👦";
    const descriptions = [
      "Kurz.",
      "x".repeat(140),
      "x".repeat(141),
      `${"ä".repeat(100)}\r\n${family.repeat(60)}`,
      stacked.repeat(200),
      `${"y".repeat(139)}${stacked}`,
      `${"ü".repeat(600)}${family}`,
    ];
    const filed = new Map<string, string>();
    for (const [i, description] of descriptions.entries()) filed.set(await file(description, { now: T0 + i }), description);
    const page = await listQueue(db, { status: "open", sort: "created", page: 1 }, agent, "en", T0);
    const shown = new Map(page.rows.map((r) => [r.ref, r.excerpt]));
    // As stored (line breaks normalised on filing).
    const stored = await db.select({ ref: concerns.ref, description: concerns.description }).from(concerns).where(inArray(concerns.ref, [...filed.keys()]));
    expect(stored).toHaveLength(descriptions.length);
    for (const { ref, description } of stored) expect(shown.get(ref), description.slice(0, 20)).toBe(truncateText(description, 140));
    expect(shown.get([...filed.keys()][4]!)).toBe(`${stacked.repeat(139)}…`);
  });
});

describe("search by index", () => {
  it("matches every word by its start, whatever the punctuation around it", async () => {
    const quoted = await file("Die „Überweisung“ an «Händler» wurde—doppelt—gebucht (Kündigungs\u00adfrist?).");
    const other = await file("Die Rechnung für den Router ist falsch.");
    // The demo seed has concerns of its own: look at these two only.
    const refs = async (filters: Partial<QueueFilters>) => (await listQueue(db, { status: "open", sort: "due", page: 1, ...filters }, agent, "en", T0)).rows.map((r) => r.ref).filter((r) => r === quoted || r === other);
    expect(await refs({ q: "überw" })).toEqual([quoted]);
    expect(await refs({ q: "UBERWEISUNG handler" })).toEqual([quoted]);
    expect(await refs({ q: "doppelt gebucht" })).toEqual([quoted]);
    expect(await refs({ q: "kundigungs" })).toEqual([quoted]);
    // Every word must match; a word's middle does not.
    expect(await refs({ q: "überweisung router" })).toEqual([]);
    expect(await refs({ q: "weisung" })).toEqual([]);
    expect(await refs({ q: "rou" })).toEqual([other]);
  });

  it("a word longer than the stored limit is still found by its start", async () => {
    const long = "x".repeat(SEARCH_WORD_MAX + 40);
    const ref = await file(`Code ${long} im Protokoll.`);
    expect(await refs({ q: long })).toEqual([ref]);
    expect(await refs({ q: long.slice(0, 10) })).toEqual([ref]);
  });

  it("any query text is harmless: FTS and tsquery syntax is taken as words", async () => {
    const ref = await file("Near the end AND or NOT quoted text.");
    for (const q of ['"', '""', "*", "-", "NEAR(a b)", "near", "AND", "a:*", "'", "\\", "!", "&|", "(", "^x", "{x}", "x OR y", "c-", "%", "_"]) {
      const found = await refs({ q, status: "all" });
      expect(Array.isArray(found), q).toBe(true);
    }
    expect(await refs({ q: "near AND" })).toEqual([ref]);
    expect(await refs({ q: '"quoted"' })).toEqual([ref]);
    await fc.assert(
      fc.asyncProperty(fc.string({ unit: "binary", maxLength: 240 }), async (q) => {
        await listQueue(db, { status: "all", sort: "due", page: 1, q: q.split("\u0000").join("") }, agent, "en", T0);
      }),
      { numRuns: 100, seed: 7 },
    );
  }, 60_000);

  it("a common word (over 1,000 matches, its page read in sort-index order, its counts lower bounds) and a rare one give every match in order, counted per status", async () => {
    const statuses = ["new", "in_progress", "waiting_customer", "closed", "resolved", "spam"] as const;
    // Due dates and filing times out of step with the ids, so an order by id alone would fail.
    const rows = Array.from({ length: 1200 }, (_, i) => {
      const rare = i % 40 === 7;
      return {
        ref: `C-${String(i).padStart(4, "0")}-MIXD`,
        contactMethod: "portal",
        lang: "en",
        kind: "other",
        status: statuses[(i * 7) % statuses.length]!,
        description: `common${rare ? " seltenwort" : ""} ${i}`,
        desiredOutcome: "",
        searchText: `common${rare ? " seltenwort" : ""} ${i}`,
        createdAt: T0 + ((i * 389) % 1200) * 1000,
        updatedAt: T0,
        slaDueAt: i % 5 === 0 ? null : T0 + DAY + ((i * 613) % 1200) * 60_000,
        assigneeId: i % 3 === 0 ? agent.id : null,
      };
    });
    for (let i = 0; i < rows.length; i += 200) await db.insert(concerns).values(rows.slice(i, i + 200));
    const stored = await db.select({ ref: concerns.ref, id: concerns.id, status: concerns.status, dueAt: concerns.dueAt, createdAt: concerns.createdAt, assigneeId: concerns.assigneeId, searchText: concerns.searchText }).from(concerns);
    const mine = stored.filter((c) => c.ref.endsWith("-MIXD"));
    const byDue = (a: (typeof mine)[number], b: (typeof mine)[number]) => a.dueAt - b.dueAt || a.createdAt - b.createdAt || a.id - b.id;
    const byCreated = (a: (typeof mine)[number], b: (typeof mine)[number]) => b.createdAt - a.createdAt || b.id - a.id;
    const openStatuses: string[] = ["new", "in_progress", "waiting_customer", "waiting_third_party", "escalated"];
    for (const word of ["common", "seltenwort"]) {
      const matching = mine.filter((c) => c.searchText!.split(" ").includes(word));
      for (const filters of [
        { status: "open", sort: "due" },
        { status: "all", sort: "due" },
        { status: "closed", sort: "due" },
        { status: "open", sort: "created" },
        { status: "all", sort: "due", assignee: "me" },
      ] as const) {
        const scoped = matching.filter((c) => (filters.status === "all" || (filters.status === "open" ? openStatuses.includes(c.status) : c.status === filters.status)) && (!("assignee" in filters) || c.assigneeId === agent.id));
        const expected = scoped.sort(filters.sort === "due" ? byDue : byCreated).map((c) => c.ref);
        for (const page of [1, 2, 5]) {
          const result = await listQueue(db, { ...filters, page, q: word }, agent, "en", T0);
          const label = `${word} ${JSON.stringify(filters)} page ${page}`;
          expect(result.rows.map((r) => r.ref), label).toEqual(expected.slice((result.page - 1) * 25, result.page * 25));
          // Over 1,000 matches within the filters, a word search stops counting: lower bounds, flagged.
          const inFilters = matching.filter((c) => !("assignee" in filters) || c.assigneeId === agent.id);
          expect(result.countsAreLowerBounds, label).toBe(inFilters.length > 1000);
          if (result.totalIsLowerBound) expect([result.total, expected.length > result.total], label).toEqual([(page - 1) * 25 + 1000, true]);
          else if (result.totalIsMinimum) expect(result.total, label).toBeGreaterThanOrEqual(Math.min(expected.length, page * 25 + 1));
          else expect(result.total, label).toBe(Math.min(expected.length, (page - 1) * 25 + 1000));
          expect(result.total, label).toBeLessThanOrEqual(expected.length);
          for (const status of statuses) {
            const n = inFilters.filter((c) => c.status === status).length;
            if (result.countsAreLowerBounds) expect(result.counts[status], `${label} ${status}`).toBeLessThanOrEqual(n);
            else expect(result.counts[status], `${label} ${status}`).toBe(Math.min(n, 1001));
          }
          if (result.countsAreLowerBounds) expect(statuses.reduce((sum, s) => sum + result.counts[s], 0), label).toBeGreaterThanOrEqual(1001);
        }
      }
    }
  });

  it("searchWords splits at every non-letter, non-digit and folds alike for stored text and query", () => {
    expect(searchWords("„Überweisung“—Händler’s e-mail: a_b%c 42€")).toEqual(["uberweisung", "handler", "s", "e", "mail", "a", "b", "c", "42"]);
    expect(searchWords("%_ — !")).toEqual([]);
  });
});

describe("the search index and erasure (GDPR Art. 17)", () => {
  it("an erased customer's words leave the SQLite search index's bytes on disk, not only its results", async () => {
    const sqlite = await seededSqliteDatabase();
    try {
      const word = "quokkazebrastreifen";
      await fileConcern(sqlite.db, {
        customerId: "demo-customer-1",
        contactEmail: null,
        contactMethod: "portal",
        lang: "de",
        kind: "other",
        interactionId: null,
        systemId: null,
        description: `Mein ${word} Vertrag.`,
        desiredOutcome: "",
        now: T0,
      });
      truncateWal(sqlite.client);
      const onDisk = () => ["", "-wal"].some((suffix) => fs.existsSync(sqlite.client.name + suffix) && fs.readFileSync(sqlite.client.name + suffix).includes(Buffer.from(word)));
      expect(onDisk()).toBe(true);
      await eraseCustomer(sqlite.db, { customerId: "demo-customer-1", actor: { type: "system" } });
      expect(truncateWal(sqlite.client)).toBe(true);
      expect(onDisk()).toBe(false);
    } finally {
      await sqlite.close();
    }
  });
});

