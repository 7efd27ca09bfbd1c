import { eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { LANGUAGES } from "../../app/utils/languages";
import {
  addCustomerReply,
  allowedTransitions,
  assignConcern,
  bulkUpdate,
  canTransition,
  changeStatus,
  claimConcern,
  CONCERN_STATUSES,
  ConcernStateError,
  deadlines,
  fileConcern,
  findConcernByRef,
  isOverdue,
  listCannedReplies,
  listQueue,
  postStaffMessage,
  saveCannedReply,
  setConcernStatus,
  setKind,
  setSeriousIncident,
  STATUS_TRANSITIONS,
  withdrawConcern,
  type Concern,
  type StaffActor,
} from "../../app/domain/concerns/index.server";
import { eraseCustomer } from "../../app/domain/customer-erasure.server";
import { backfillSearchText, runMigrations, type AnyDatabase, type Db } from "../../app/utils/db.server";
import { auditLog, concerns, staffUsers } from "../../db/schema";
import { freshTestDatabase } from "../support/database";

let database: AnyDatabase;
let db: Db;
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const T0 = Date.UTC(2025, 0, 6, 9, 0, 0);
let agent: StaffActor;
let supervisor: StaffActor;

beforeEach(async () => {
  database = await freshTestDatabase();
  db = database.db;
  const staff = async (email: string) => {
    const [row] = await db.select().from(staffUsers).where(eq(staffUsers.email, email)).limit(1);
    return { id: row!.id, role: row!.role, name: row!.name };
  };
  agent = await staff("agent@nordlys.example");
  supervisor = await staff("supervisor@nordlys.example");
});
afterEach(async () => {
  await database.close();
});

async function file(overrides: Partial<Parameters<typeof fileConcern>[1]> = {}): Promise<string> {
  const { ref } = await fileConcern(db, {
    customerId: "demo-customer-1",
    contactEmail: null,
    contactMethod: "portal",
    lang: "en",
    kind: "wrong_information",
    interactionId: null,
    systemId: null,
    description: "The bot told me my contract ends in May.",
    desiredOutcome: "",
    now: T0,
    ...overrides,
  });
  return ref;
}
const get = async (ref: string): Promise<Concern> => (await findConcernByRef(db, ref))!;
const code = async (fn: () => Promise<unknown>) => {
  try {
    await fn();
  } catch (error) {
    if (error instanceof ConcernStateError) return error.code;
    throw error;
  }
  return "no error";
};

describe("the status machine", () => {
  it("has a row for every status and only moves to known statuses", () => {
    expect(Object.keys(STATUS_TRANSITIONS).sort()).toEqual([...CONCERN_STATUSES].sort());
    for (const targets of Object.values(STATUS_TRANSITIONS)) for (const to of targets) expect(CONCERN_STATUSES).toContain(to);
  });

  it("follows new → in progress → waiting → escalated → resolved → closed, with side states", () => {
    const path = ["new", "in_progress", "waiting_customer", "escalated", "resolved", "closed"];
    for (let i = 0; i < path.length - 1; i++) expect(canTransition(path[i]!, path[i + 1]!), `${path[i]} → ${path[i + 1]}`).toBe(true);
    expect(canTransition("in_progress", "waiting_third_party")).toBe(true);
    expect(canTransition("waiting_third_party", "escalated")).toBe(true);
    for (const side of ["merged", "spam"]) expect(canTransition("in_progress", side)).toBe(true);
    // Withdrawing is the customer's decision, never a staff move.
    expect(canTransition("in_progress", "withdrawn")).toBe(false);
  });

  it("refuses skipping the resolution, going back to new, leaving finished states and unknown codes", () => {
    expect(canTransition("new", "closed")).toBe(false);
    expect(canTransition("in_progress", "closed")).toBe(false);
    expect(canTransition("in_progress", "new")).toBe(false);
    expect(canTransition("new", "escalated")).toBe(false);
    expect(allowedTransitions("closed")).toEqual([]);
    expect(allowedTransitions("merged")).toEqual([]);
    expect(allowedTransitions("withdrawn")).toEqual([]);
    expect(canTransition("spam", "new")).toBe(true);
    expect(canTransition("spam", "resolved")).toBe(false);
    expect(canTransition("in_progress", "teleported")).toBe(false);
    expect(canTransition("bogus", "new")).toBe(false);
  });

  it("enforces the machine on every staff change, and resolving needs an outcome and a reason", async () => {
    const ref = await file();
    expect(await code(async () => setConcernStatus(db, await get(ref), "closed", { now: T0 + HOUR }))).toBe("illegal_transition");
    expect(await code(() => changeStatus(db, ref, agent, { to: "escalated" }, { now: T0 + HOUR }))).toBe("illegal_transition");
    expect((await get(ref)).status).toBe("new");
    await changeStatus(db, ref, agent, { to: "in_progress" }, { now: T0 + HOUR });
    expect(await code(() => changeStatus(db, ref, agent, { to: "resolved", outcomeCode: "upheld", outcomeReason: "  " }))).toBe("needs_outcome");
    expect(await code(() => changeStatus(db, ref, agent, { to: "resolved", outcomeCode: "made_up", outcomeReason: "Because" }))).toBe("needs_outcome");
    expect(await code(() => changeStatus(db, ref, agent, { to: "merged" }))).toBe("needs_merge_target");
    expect(await code(() => changeStatus(db, ref, agent, { to: "merged", mergeInto: ref }))).toBe("unknown_merge_target");
    await changeStatus(db, ref, agent, { to: "resolved", outcomeCode: "not_upheld", outcomeReason: "The date was right." }, { now: T0 + 2 * HOUR });
    expect(await get(ref)).toMatchObject({ status: "resolved", outcomeCode: "not_upheld", resolvedAt: T0 + 2 * HOUR });
    await changeStatus(db, ref, agent, { to: "closed" }, { now: T0 + 3 * HOUR });
    expect((await get(ref)).closedAt).toBe(T0 + 3 * HOUR);
    expect(await code(() => changeStatus(db, ref, agent, { to: "in_progress" }))).toBe("illegal_transition");
    const audited = (await db.select().from(auditLog).where(eq(auditLog.targetId, ref))).filter((a) => a.action === "concern.status_changed");
    expect(audited.map((a) => JSON.parse(a.details).to)).toEqual(["in_progress", "resolved", "closed"]);
    expect(audited.every((a) => a.actorType === "staff" && a.actorId === String(agent.id))).toBe(true);
  });

  it("refuses a change made on a stale revision", async () => {
    const ref = await file();
    const seen = (await get(ref)).revision;
    await changeStatus(db, ref, supervisor, { to: "in_progress" }, { expectedRevision: seen });
    expect(await code(() => changeStatus(db, ref, agent, { to: "spam" }, { expectedRevision: seen }))).toBe("stale");
    expect(await code(() => postStaffMessage(db, ref, agent, { body: "Hi", visibility: "public" }, { expectedRevision: seen }))).toBe("stale");
    expect((await get(ref)).status).toBe("in_progress");
  });
});

describe("deadlines", () => {
  it("pauses the SLA while waiting on the customer and pushes it back by the paused time", async () => {
    const ref = await file();
    expect((await get(ref)).slaDueAt).toBe(T0 + 48 * HOUR);
    await changeStatus(db, ref, agent, { to: "in_progress" }, { now: T0 + HOUR });
    await changeStatus(db, ref, agent, { to: "waiting_customer" }, { now: T0 + 10 * HOUR });
    expect((await get(ref)).slaPausedAt).toBe(T0 + 10 * HOUR);
    // While paused the due time moves along with the clock: never overdue.
    expect(deadlines(await get(ref), T0 + 100 * HOUR).slaDueAt).toBe(T0 + 48 * HOUR + 90 * HOUR);
    expect(isOverdue(await get(ref), T0 + 100 * HOUR)).toBe(false);
    await changeStatus(db, ref, agent, { to: "in_progress" }, { now: T0 + 30 * HOUR });
    expect(await get(ref)).toMatchObject({ slaPausedAt: null, slaDueAt: T0 + 68 * HOUR });
    expect(isOverdue(await get(ref), T0 + 67 * HOUR)).toBe(false);
    expect(isOverdue(await get(ref), T0 + 69 * HOUR)).toBe(true);
  });

  it("a customer's answer also restarts the paused clock", async () => {
    const ref = await file();
    await setConcernStatus(db, await get(ref), "waiting_customer", { now: T0 + 2 * HOUR });
    await addCustomerReply(db, await get(ref), "It was on Monday.", T0 + 12 * HOUR);
    expect(await get(ref)).toMatchObject({ status: "in_progress", slaPausedAt: null, slaDueAt: T0 + 58 * HOUR });
  });

  it("after the first public reply the SLA targets resolution from filing, paused time included", async () => {
    const ref = await file();
    await postStaffMessage(db, ref, agent, { body: "Internal: looking", visibility: "internal" }, { now: T0 + HOUR });
    expect((await get(ref)).firstResponseAt).toBeNull();
    expect(deadlines(await get(ref), T0).slaTarget).toBe("first_response");
    await setConcernStatus(db, await get(ref), "waiting_customer", { now: T0 + 2 * HOUR });
    await setConcernStatus(db, await get(ref), "in_progress", { now: T0 + 7 * HOUR });
    await postStaffMessage(db, ref, agent, { body: "We are checking your contract.", visibility: "public" }, { now: T0 + 8 * HOUR });
    const answered = await get(ref);
    expect(answered.firstResponseAt).toBe(T0 + 8 * HOUR);
    expect(answered.slaDueAt).toBe(T0 + 240 * HOUR + 5 * HOUR);
    expect(deadlines(answered, T0).slaTarget).toBe("resolution");
    // Later replies do not move it again.
    await postStaffMessage(db, ref, agent, { body: "Still on it.", visibility: "public" }, { now: T0 + 20 * HOUR });
    expect((await get(ref)).slaDueAt).toBe(answered.slaDueAt);
  });

  it("statutory due date: overdue after a month for rights-based kinds; reclassifying starts or stops it", async () => {
    const rights = await file({ kind: "explanation" });
    // One calendar month: 6 January → the end of 6 February, Brussels time.
    const endOf6February = Date.parse("2025-02-06T23:59:59.999+01:00");
    expect((await get(rights)).statutoryDueAt).toBe(endOf6February);
    await postStaffMessage(db, rights, agent, { body: "Answered", visibility: "public" }, { now: T0 + HOUR });
    expect(deadlines(await get(rights), T0 + 9 * DAY).overdue).toMatchObject({ sla: false, statutory: false });
    expect(deadlines(await get(rights), T0 + 29 * DAY).overdue).toMatchObject({ sla: true, statutory: false });
    expect(deadlines(await get(rights), T0 + 30 * DAY).overdue.statutory).toBe(false);
    expect(deadlines(await get(rights), T0 + 32 * DAY).overdue.statutory).toBe(true);
    const other = await file();
    expect((await get(other)).statutoryDueAt).toBeNull();
    await setKind(db, other, agent, "privacy", { now: T0 + DAY });
    expect((await get(other)).statutoryDueAt).toBe(endOf6February);
    await setKind(db, other, agent, "other", { now: T0 + DAY });
    expect((await get(other)).statutoryDueAt).toBeNull();
  });

  it("finished concerns are never overdue", async () => {
    const ref = await file();
    await setConcernStatus(db, await get(ref), "spam", { now: T0 + HOUR });
    expect(isOverdue(await get(ref), T0 + 100 * DAY)).toBe(false);
  });

  it("the serious-incident flag starts a 15-day reporting clock; only supervisors may raise it", async () => {
    const ref = await file();
    expect(await code(() => setSeriousIncident(db, ref, agent, true))).toBe("forbidden");
    await setSeriousIncident(db, ref, supervisor, true, { now: T0 + DAY });
    const flagged = deadlines(await get(ref), T0 + 2 * DAY);
    // Flagged on 7 January: reported by the end of 22 January, Brussels time.
    expect(flagged.incidentReportDueAt).toBe(Date.parse("2025-01-22T23:59:59.999+01:00"));
    expect(flagged.overdue.incident).toBe(false);
    expect(deadlines(await get(ref), T0 + 17 * DAY).overdue.incident).toBe(true);
    await setSeriousIncident(db, ref, supervisor, false, { now: T0 + 3 * DAY });
    expect(await get(ref)).toMatchObject({ seriousIncident: false, seriousIncidentAt: null });
  });
});

describe("assignment", () => {
  it("agents claim free cases; assigning others, unassigning and taking someone's case need concerns.assign", async () => {
    const ref = await file();
    expect(await code(() => assignConcern(db, ref, agent, agent.id))).toBe("forbidden");
    await claimConcern(db, ref, agent);
    expect((await get(ref)).assigneeId).toBe(agent.id);
    expect(await code(() => claimConcern(db, ref, agent))).toBe("already_yours");
    expect(await code(() => assignConcern(db, ref, agent, null))).toBe("forbidden");
    expect(await code(() => assignConcern(db, ref, supervisor, 987654))).toBe("unknown_assignee");
    await claimConcern(db, ref, supervisor);
    expect((await get(ref)).assigneeId).toBe(supervisor.id);
    expect(await code(() => claimConcern(db, ref, agent))).toBe("forbidden");
    await assignConcern(db, ref, supervisor, null);
    expect((await get(ref)).assigneeId).toBeNull();
  });
});

describe("staff reopening", () => {
  it("a reopened resolution gets a fresh resolution SLA, so it is not overdue at once", async () => {
    const ref = await file();
    await changeStatus(db, ref, agent, { to: "in_progress" }, { now: T0 + HOUR });
    await changeStatus(db, ref, agent, { to: "resolved", outcomeCode: "explained", outcomeReason: "Here is why." }, { now: T0 + DAY });
    const reopenedAt = T0 + 20 * DAY;
    await changeStatus(db, ref, agent, { to: "in_progress" }, { now: reopenedAt });
    expect((await get(ref)).slaDueAt).toBeGreaterThan(reopenedAt);
    expect(deadlines(await get(ref), reopenedAt + HOUR).overdue.sla).toBe(false);
  });
});

describe("bulk actions", () => {
  it("change what can change, report the rest with a reason, and leave the refused ones untouched", async () => {
    const a = await file();
    const b = await file();
    await withdrawConcern(db, await get(b), T0 + HOUR);
    const before = await get(b);
    const result = await bulkUpdate(db, [a, b, "C-0000-0000"], agent, { type: "status", to: "in_progress" }, T0 + 2 * HOUR);
    expect(result).toEqual({
      applied: [a],
      unchanged: [],
      rejected: [
        { ref: b, reason: "illegal_transition" },
        { ref: "C-0000-0000", reason: "not_found" },
      ],
    });
    expect((await get(a)).status).toBe("in_progress");
    expect(await get(b)).toEqual(before);
    expect(await code(() => bulkUpdate(db, [a], agent, { type: "assign", assigneeId: agent.id }))).toBe("forbidden");
    expect(await code(() => bulkUpdate(db, [a], agent, { type: "status", to: "resolved" }))).toBe("not_in_bulk");
    expect((await bulkUpdate(db, [a], supervisor, { type: "assign", assigneeId: agent.id })).applied).toEqual([a]);
    expect((await bulkUpdate(db, [a], supervisor, { type: "assign", assigneeId: agent.id })).unchanged).toEqual([a]);
  });
});

describe("the queue listing", () => {
  it("the overdue filter agrees with isOverdue, and due-date order puts the most urgent first", async () => {
    const now = T0 + 3 * DAY;
    const late = await file({ now: T0 });
    const paused = await file({ now: T0 });
    await setConcernStatus(db, await get(paused), "waiting_customer", { now: T0 + HOUR });
    const fresh = await file({ now: T0 + 2 * DAY });
    const statutory = await file({ now: T0 - 40 * DAY, kind: "privacy" });
    await postStaffMessage(db, statutory, agent, { body: "Answered", visibility: "public" }, { now: T0 - 40 * DAY + HOUR });
    await setConcernStatus(db, await get(statutory), "in_progress", { now: T0 - 40 * DAY + 2 * HOUR });
    // Leave only our concerns in the table (the seed's demo concerns are dated today).
    await db.delete(concerns).where(eq(concerns.customerId, "demo-customer-2"));

    const view = async (overdue: boolean) =>
      (await listQueue(db, { status: "open", sort: "due", page: 1, overdue }, agent, "en", now)).rows.map((r) => r.ref);
    const all = await db.select().from(concerns);
    const expected = all.filter((c) => isOverdue(c, now)).map((c) => c.ref).sort();
    expect((await view(true)).sort()).toEqual(expected);
    expect(expected).toEqual([late, statutory].sort());
    expect(await view(false)).toContain(paused);
    expect(await view(false)).toContain(fresh);
    const ordered = await view(false);
    expect(ordered.indexOf(late)).toBeLessThan(ordered.indexOf(fresh));
    expect(ordered.indexOf(fresh)).toBeLessThan(ordered.indexOf(paused));
  });

  it("counts per status under the other filters, and searches reference and text", async () => {
    const ref = await file({ description: "Quokka-shaped modem lights blinked at night" });
    const result = await listQueue(db, { status: "all", sort: "created", page: 1, q: "quokka" }, agent, "en");
    expect(result.rows.map((r) => r.ref)).toEqual([ref]);
    expect(result.counts.new).toBe(1);
    expect(result.counts.open).toBe(1);
    expect((await listQueue(db, { status: "all", sort: "due", page: 1, q: ref.slice(2).toLowerCase() }, agent, "en")).rows.map((r) => r.ref)).toEqual([ref]);
    // LIKE wildcards in a search are taken literally.
    expect((await listQueue(db, { status: "all", sort: "due", page: 1, q: "%" }, agent, "en")).total).toBe(0);
  });
});

describe("queue search in every language and by reference (issue 7.10)", () => {
  const search = async (q: string, filters: Partial<Parameters<typeof listQueue>[1]> = {}) =>
    (await listQueue(db, { status: "open", sort: "created", page: 1, q, ...filters }, agent, "en")).rows.map((r) => r.ref);

  it("ignores case and accents, whatever the script", async () => {
    const texts = {
      de: await file({ description: "Meine Überweisung wurde doppelt gebucht." }),
      pl: await file({ description: "ZŁA ŁĄCZNOŚĆ w Łodzi od tygodnia." }),
      tr: await file({ description: "İSTANBUL şubesindeki ılık cevap." }),
      el: await file({ description: "Ο λογαριασμός ΑΣΤΡΑΣ χρεώθηκε δύο φορές." }),
      ar: await file({ description: "لم يتم تحويل المَبْلَغ إلى حسابي." }),
      fr: await file({ description: "Réponse", desiredOutcome: "Que L'ÉCOLE soit remboursée, s'il vous plaît." }),
    };
    const cases: [string, string][] = [
      ["überweisung", texts.de],
      ["ÜBERWEISUNG", texts.de],
      ["uberweisung", texts.de],
      ["Überweisung", texts.de],
      ["łączność", texts.pl],
      ["lacznosc w lodzi", texts.pl],
      ["istanbul", texts.tr],
      ["ILIK", texts.tr],
      ["İstanbul şubesindeki", texts.tr],
      ["άστρας", texts.el],
      ["λογαριασμοσ", texts.el],
      ["المبلغ", texts.ar],
      ["école", texts.fr],
      ["ECOLE SOIT", texts.fr],
    ];
    for (const [q, ref] of cases) expect(await search(q), q).toEqual([ref]);
    expect(await search("ueberweisung")).toEqual([]);
    expect(await search("_")).toEqual([]);
  });

  it("a whole reference finds the concern in any status, whatever the other filters", async () => {
    const ref = await file({ description: "Resolved long ago." });
    await setConcernStatus(db, await get(ref), "resolved", { outcomeCode: "explained", outcomeReason: "Because.", now: T0 + HOUR });
    await setConcernStatus(db, await get(ref), "closed", { now: T0 + 2 * HOUR });
    const spelled = [ref, ref.toLowerCase(), ref.replace(/-/g, ""), ` ${ref.toLowerCase().replace(/-/g, " ")} `];
    for (const q of spelled) {
      expect(await search(q), q).toEqual([ref]);
      expect(await search(q, { kind: "privacy", assignee: "me", overdue: true }), q).toEqual([ref]);
    }
    const misread = ref.replace(/0/g, "O").replace(/1/g, "I");
    expect(await search(misread)).toEqual([ref]);
    // A part of a reference stays a text search within the filters.
    expect(await search(ref.slice(0, 6))).toEqual([]);
    expect(await search(ref.slice(0, 6), { status: "all" })).toEqual([ref]);
  });

  it("an erased customer's words are no longer searchable; the reference still is", async () => {
    const ref = await file({ description: "Mein Zähler zeigt falsche Werte." });
    expect(await search("zahler")).toEqual([ref]);
    await eraseCustomer(db, { customerId: "demo-customer-1", actor: { type: "system" } });
    expect(await search("zahler", { status: "all" })).toEqual([]);
    expect(await search(ref.toLowerCase())).toEqual([ref]);
  });

  it("rows written before the search column are backfilled when migrations run", async () => {
    const ref = await file({ description: "Straße gesperrt, Überweisung fehlt." });
    await db.update(concerns).set({ searchText: null });
    expect(await search("strasse")).toEqual([]);
    await runMigrations(database);
    expect(await search("STRASSE")).toEqual([ref]);
    // Nothing left to fill: the backfill found every row the first time.
    expect(await backfillSearchText(db)).toBe(0);
  });
});

describe("canned replies", () => {
  it("the demo has its three replies in every customer language (SPEC §8)", async () => {
    for (const lang of LANGUAGES) expect(await listCannedReplies(db, lang), lang).toHaveLength(3);
  });

  it("one text per key and language; staff need concerns.assign", async () => {
    expect(await code(() => saveCannedReply(db, { key: "thanks", lang: "en", title: "Thanks", body: "Thank you." }, agent))).toBe("forbidden");
    const id = await saveCannedReply(db, { key: "thanks", lang: "en", title: "Thanks", body: "Thank you." }, supervisor);
    expect(await code(() => saveCannedReply(db, { key: "thanks", lang: "en", title: "Again", body: "Again." }, supervisor))).toBe("duplicate_canned_reply");
    await saveCannedReply(db, { id, key: "thanks", lang: "en", title: "Thanks!", body: "Thank you." }, supervisor);
    expect((await listCannedReplies(db, "en")).find((r) => r.id === id)?.title).toBe("Thanks!");
    expect(await code(() => saveCannedReply(db, { key: "Bad Key", lang: "en", title: "x", body: "y" }, supervisor))).toBe("invalid");
  });
});
