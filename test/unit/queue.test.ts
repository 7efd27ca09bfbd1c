import { eq } from "drizzle-orm";
import { beforeEach, describe, expect, it } from "vitest";
import {
  allowedTransitions,
  assignConcern,
  bulkUpdate,
  canTransition,
  changeStatus,
  claimConcern,
  CONCERN_STATUSES,
  ConcernStateError,
  deadlines,
  isOverdue,
  listCannedReplies,
  listQueue,
  postStaffMessage,
  saveCannedReply,
  setKind,
  setSeriousIncident,
  STATUS_TRANSITIONS,
  type StaffActor,
} from "../../app/domain/concern-workflow.server";
import { addCustomerReply, fileConcern, findConcernByRef, setConcernStatus, withdrawConcern } from "../../app/domain/concerns.server";
import { eraseCustomer } from "../../app/domain/customer-erasure.server";
import { runSyncMigrations, type Connection } from "../../app/utils/db.server";
import { auditLog, concerns, staffUsers } from "../../db/schema";
import { freshDatabase } from "../support/database";

let db: Connection;
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const T0 = Date.UTC(2025, 0, 6, 9, 0, 0);
let agent: StaffActor;
let supervisor: StaffActor;

beforeEach(() => {
  db = freshDatabase();
  const staff = (email: string) => {
    const row = db.select().from(staffUsers).where(eq(staffUsers.email, email)).get()!;
    return { id: row.id, role: row.role, name: row.name };
  };
  agent = staff("agent@nordlys.example");
  supervisor = staff("supervisor@nordlys.example");
});

function file(overrides: Partial<Parameters<typeof fileConcern>[1]> = {}) {
  return fileConcern(db, {
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
  }).ref;
}
const get = (ref: string) => findConcernByRef(db, ref)!;
const code = (fn: () => unknown) => {
  try {
    fn();
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

  it("enforces the machine on every staff change, and resolving needs an outcome and a reason", () => {
    const ref = file();
    expect(code(() => setConcernStatus(db, get(ref), "closed", { now: T0 + HOUR }))).toBe("illegal_transition");
    expect(code(() => changeStatus(db, ref, agent, { to: "escalated" }, { now: T0 + HOUR }))).toBe("illegal_transition");
    expect(get(ref).status).toBe("new");
    changeStatus(db, ref, agent, { to: "in_progress" }, { now: T0 + HOUR });
    expect(code(() => changeStatus(db, ref, agent, { to: "resolved", outcomeCode: "upheld", outcomeReason: "  " }))).toBe("needs_outcome");
    expect(code(() => changeStatus(db, ref, agent, { to: "resolved", outcomeCode: "made_up", outcomeReason: "Because" }))).toBe("needs_outcome");
    expect(code(() => changeStatus(db, ref, agent, { to: "merged" }))).toBe("needs_merge_target");
    expect(code(() => changeStatus(db, ref, agent, { to: "merged", mergeInto: ref }))).toBe("unknown_merge_target");
    changeStatus(db, ref, agent, { to: "resolved", outcomeCode: "not_upheld", outcomeReason: "The date was right." }, { now: T0 + 2 * HOUR });
    expect(get(ref)).toMatchObject({ status: "resolved", outcomeCode: "not_upheld", resolvedAt: T0 + 2 * HOUR });
    changeStatus(db, ref, agent, { to: "closed" }, { now: T0 + 3 * HOUR });
    expect(get(ref).closedAt).toBe(T0 + 3 * HOUR);
    expect(code(() => changeStatus(db, ref, agent, { to: "in_progress" }))).toBe("illegal_transition");
    const audited = db.select().from(auditLog).where(eq(auditLog.targetId, ref)).all().filter((a) => a.action === "concern.status_changed");
    expect(audited.map((a) => JSON.parse(a.details).to)).toEqual(["in_progress", "resolved", "closed"]);
    expect(audited.every((a) => a.actorType === "staff" && a.actorId === String(agent.id))).toBe(true);
  });

  it("refuses a change made on a stale revision", () => {
    const ref = file();
    const seen = get(ref).revision;
    changeStatus(db, ref, supervisor, { to: "in_progress" }, { expectedRevision: seen });
    expect(code(() => changeStatus(db, ref, agent, { to: "spam" }, { expectedRevision: seen }))).toBe("stale");
    expect(code(() => postStaffMessage(db, ref, agent, { body: "Hi", visibility: "public" }, { expectedRevision: seen }))).toBe("stale");
    expect(get(ref).status).toBe("in_progress");
  });
});

describe("deadlines", () => {
  it("pauses the SLA while waiting on the customer and pushes it back by the paused time", () => {
    const ref = file();
    expect(get(ref).slaDueAt).toBe(T0 + 48 * HOUR);
    changeStatus(db, ref, agent, { to: "in_progress" }, { now: T0 + HOUR });
    changeStatus(db, ref, agent, { to: "waiting_customer" }, { now: T0 + 10 * HOUR });
    expect(get(ref).slaPausedAt).toBe(T0 + 10 * HOUR);
    // While paused the due time moves along with the clock: never overdue.
    expect(deadlines(get(ref), T0 + 100 * HOUR).slaDueAt).toBe(T0 + 48 * HOUR + 90 * HOUR);
    expect(isOverdue(get(ref), T0 + 100 * HOUR)).toBe(false);
    changeStatus(db, ref, agent, { to: "in_progress" }, { now: T0 + 30 * HOUR });
    expect(get(ref)).toMatchObject({ slaPausedAt: null, slaDueAt: T0 + 68 * HOUR });
    expect(isOverdue(get(ref), T0 + 67 * HOUR)).toBe(false);
    expect(isOverdue(get(ref), T0 + 69 * HOUR)).toBe(true);
  });

  it("a customer's answer also restarts the paused clock", () => {
    const ref = file();
    setConcernStatus(db, get(ref), "waiting_customer", { now: T0 + 2 * HOUR });
    addCustomerReply(db, get(ref), "It was on Monday.", T0 + 12 * HOUR);
    expect(get(ref)).toMatchObject({ status: "in_progress", slaPausedAt: null, slaDueAt: T0 + 58 * HOUR });
  });

  it("after the first public reply the SLA targets resolution from filing, paused time included", () => {
    const ref = file();
    postStaffMessage(db, ref, agent, { body: "Internal: looking", visibility: "internal" }, { now: T0 + HOUR });
    expect(get(ref).firstResponseAt).toBeNull();
    expect(deadlines(get(ref), T0).slaTarget).toBe("first_response");
    setConcernStatus(db, get(ref), "waiting_customer", { now: T0 + 2 * HOUR });
    setConcernStatus(db, get(ref), "in_progress", { now: T0 + 7 * HOUR });
    postStaffMessage(db, ref, agent, { body: "We are checking your contract.", visibility: "public" }, { now: T0 + 8 * HOUR });
    const answered = get(ref);
    expect(answered.firstResponseAt).toBe(T0 + 8 * HOUR);
    expect(answered.slaDueAt).toBe(T0 + 240 * HOUR + 5 * HOUR);
    expect(deadlines(answered, T0).slaTarget).toBe("resolution");
    // Later replies do not move it again.
    postStaffMessage(db, ref, agent, { body: "Still on it.", visibility: "public" }, { now: T0 + 20 * HOUR });
    expect(get(ref).slaDueAt).toBe(answered.slaDueAt);
  });

  it("statutory due date: overdue after a month for rights-based kinds; reclassifying starts or stops it", () => {
    const rights = file({ kind: "explanation" });
    // One calendar month: 6 January → the end of 6 February, Brussels time.
    const endOf6February = Date.parse("2025-02-06T23:59:59.999+01:00");
    expect(get(rights).statutoryDueAt).toBe(endOf6February);
    postStaffMessage(db, rights, agent, { body: "Answered", visibility: "public" }, { now: T0 + HOUR });
    expect(deadlines(get(rights), T0 + 9 * DAY).overdue).toMatchObject({ sla: false, statutory: false });
    expect(deadlines(get(rights), T0 + 29 * DAY).overdue).toMatchObject({ sla: true, statutory: false });
    expect(deadlines(get(rights), T0 + 30 * DAY).overdue.statutory).toBe(false);
    expect(deadlines(get(rights), T0 + 32 * DAY).overdue.statutory).toBe(true);
    const other = file();
    expect(get(other).statutoryDueAt).toBeNull();
    setKind(db, other, agent, "privacy", { now: T0 + DAY });
    expect(get(other).statutoryDueAt).toBe(endOf6February);
    setKind(db, other, agent, "other", { now: T0 + DAY });
    expect(get(other).statutoryDueAt).toBeNull();
  });

  it("finished concerns are never overdue", () => {
    const ref = file();
    setConcernStatus(db, get(ref), "spam", { now: T0 + HOUR });
    expect(isOverdue(get(ref), T0 + 100 * DAY)).toBe(false);
  });

  it("the serious-incident flag starts a 15-day reporting clock; only supervisors may raise it", () => {
    const ref = file();
    expect(code(() => setSeriousIncident(db, ref, agent, true))).toBe("forbidden");
    setSeriousIncident(db, ref, supervisor, true, { now: T0 + DAY });
    const flagged = deadlines(get(ref), T0 + 2 * DAY);
    // Flagged on 7 January: reported by the end of 22 January, Brussels time.
    expect(flagged.incidentReportDueAt).toBe(Date.parse("2025-01-22T23:59:59.999+01:00"));
    expect(flagged.overdue.incident).toBe(false);
    expect(deadlines(get(ref), T0 + 17 * DAY).overdue.incident).toBe(true);
    setSeriousIncident(db, ref, supervisor, false, { now: T0 + 3 * DAY });
    expect(get(ref)).toMatchObject({ seriousIncident: false, seriousIncidentAt: null });
  });
});

describe("assignment", () => {
  it("agents claim free cases; assigning others, unassigning and taking someone's case need concerns.assign", () => {
    const ref = file();
    expect(code(() => assignConcern(db, ref, agent, agent.id))).toBe("forbidden");
    claimConcern(db, ref, agent);
    expect(get(ref).assigneeId).toBe(agent.id);
    expect(code(() => claimConcern(db, ref, agent))).toBe("already_yours");
    expect(code(() => assignConcern(db, ref, agent, null))).toBe("forbidden");
    expect(code(() => assignConcern(db, ref, supervisor, 987654))).toBe("unknown_assignee");
    claimConcern(db, ref, supervisor);
    expect(get(ref).assigneeId).toBe(supervisor.id);
    expect(code(() => claimConcern(db, ref, agent))).toBe("forbidden");
    assignConcern(db, ref, supervisor, null);
    expect(get(ref).assigneeId).toBeNull();
  });
});

describe("staff reopening", () => {
  it("a reopened resolution gets a fresh resolution SLA, so it is not overdue at once", () => {
    const ref = file();
    changeStatus(db, ref, agent, { to: "in_progress" }, { now: T0 + HOUR });
    changeStatus(db, ref, agent, { to: "resolved", outcomeCode: "explained", outcomeReason: "Here is why." }, { now: T0 + DAY });
    const reopenedAt = T0 + 20 * DAY;
    changeStatus(db, ref, agent, { to: "in_progress" }, { now: reopenedAt });
    expect(get(ref).slaDueAt).toBeGreaterThan(reopenedAt);
    expect(deadlines(get(ref), reopenedAt + HOUR).overdue.sla).toBe(false);
  });
});

describe("bulk actions", () => {
  it("change what can change, report the rest with a reason, and leave the refused ones untouched", () => {
    const a = file();
    const b = file();
    withdrawConcern(db, get(b), T0 + HOUR);
    const before = get(b);
    const result = bulkUpdate(db, [a, b, "C-0000-0000"], agent, { type: "status", to: "in_progress" }, T0 + 2 * HOUR);
    expect(result).toEqual({
      applied: [a],
      unchanged: [],
      rejected: [
        { ref: b, reason: "illegal_transition" },
        { ref: "C-0000-0000", reason: "not_found" },
      ],
    });
    expect(get(a).status).toBe("in_progress");
    expect(get(b)).toEqual(before);
    expect(code(() => bulkUpdate(db, [a], agent, { type: "assign", assigneeId: agent.id }))).toBe("forbidden");
    expect(code(() => bulkUpdate(db, [a], agent, { type: "status", to: "resolved" }))).toBe("not_in_bulk");
    expect(bulkUpdate(db, [a], supervisor, { type: "assign", assigneeId: agent.id }).applied).toEqual([a]);
    expect(bulkUpdate(db, [a], supervisor, { type: "assign", assigneeId: agent.id }).unchanged).toEqual([a]);
  });
});

describe("the queue listing", () => {
  it("the overdue filter agrees with isOverdue, and due-date order puts the most urgent first", () => {
    const now = T0 + 3 * DAY;
    const late = file({ now: T0 });
    const paused = file({ now: T0 });
    setConcernStatus(db, get(paused), "waiting_customer", { now: T0 + HOUR });
    const fresh = file({ now: T0 + 2 * DAY });
    const statutory = file({ now: T0 - 40 * DAY, kind: "privacy" });
    postStaffMessage(db, statutory, agent, { body: "Answered", visibility: "public" }, { now: T0 - 40 * DAY + HOUR });
    setConcernStatus(db, get(statutory), "in_progress", { now: T0 - 40 * DAY + 2 * HOUR });
    // Leave only our concerns in the table (the seed's demo concerns are dated today).
    db.delete(concerns).where(eq(concerns.customerId, "demo-customer-2")).run();

    const view = (overdue: boolean) =>
      listQueue(db, { status: "open", sort: "due", page: 1, overdue }, agent, "en", now).rows.map((r) => r.ref);
    const all = db.select().from(concerns).all();
    const expected = all.filter((c) => isOverdue(c, now)).map((c) => c.ref).sort();
    expect(view(true).sort()).toEqual(expected);
    expect(expected).toEqual([late, statutory].sort());
    expect(view(false)).toContain(paused);
    expect(view(false)).toContain(fresh);
    const ordered = view(false);
    expect(ordered.indexOf(late)).toBeLessThan(ordered.indexOf(fresh));
    expect(ordered.indexOf(fresh)).toBeLessThan(ordered.indexOf(paused));
  });

  it("counts per status under the other filters, and searches reference and text", () => {
    const ref = file({ description: "Quokka-shaped modem lights blinked at night" });
    const result = listQueue(db, { status: "all", sort: "created", page: 1, q: "quokka" }, agent, "en");
    expect(result.rows.map((r) => r.ref)).toEqual([ref]);
    expect(result.counts.new).toBe(1);
    expect(result.counts.open).toBe(1);
    expect(listQueue(db, { status: "all", sort: "due", page: 1, q: ref.slice(2).toLowerCase() }, agent, "en").rows.map((r) => r.ref)).toEqual([ref]);
    // LIKE wildcards in a search are taken literally.
    expect(listQueue(db, { status: "all", sort: "due", page: 1, q: "%" }, agent, "en").total).toBe(0);
  });
});

describe("queue search in every language and by reference (issue 7.10)", () => {
  const search = (q: string, filters: Partial<Parameters<typeof listQueue>[1]> = {}) =>
    listQueue(db, { status: "open", sort: "created", page: 1, q, ...filters }, agent, "en").rows.map((r) => r.ref);

  it("ignores case and accents, whatever the script", () => {
    const texts = {
      de: file({ description: "Meine Überweisung wurde doppelt gebucht." }),
      pl: file({ description: "ZŁA ŁĄCZNOŚĆ w Łodzi od tygodnia." }),
      tr: file({ description: "İSTANBUL şubesindeki ılık cevap." }),
      el: file({ description: "Ο λογαριασμός ΑΣΤΡΑΣ χρεώθηκε δύο φορές." }),
      ar: file({ description: "لم يتم تحويل المَبْلَغ إلى حسابي." }),
      fr: file({ description: "Réponse", desiredOutcome: "Que L'ÉCOLE soit remboursée, s'il vous plaît." }),
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
    for (const [q, ref] of cases) expect(search(q), q).toEqual([ref]);
    expect(search("ueberweisung")).toEqual([]);
    expect(search("_")).toEqual([]);
  });

  it("a whole reference finds the concern in any status, whatever the other filters", () => {
    const ref = file({ description: "Resolved long ago." });
    setConcernStatus(db, get(ref), "resolved", { outcomeCode: "explained", outcomeReason: "Because.", now: T0 + HOUR });
    setConcernStatus(db, get(ref), "closed", { now: T0 + 2 * HOUR });
    const spelled = [ref, ref.toLowerCase(), ref.replace(/-/g, ""), ` ${ref.toLowerCase().replace(/-/g, " ")} `];
    for (const q of spelled) {
      expect(search(q), q).toEqual([ref]);
      expect(search(q, { kind: "privacy", assignee: "me", overdue: true }), q).toEqual([ref]);
    }
    const misread = ref.replace(/0/g, "O").replace(/1/g, "I");
    expect(search(misread)).toEqual([ref]);
    // A part of a reference stays a text search within the filters.
    expect(search(ref.slice(0, 6))).toEqual([]);
    expect(search(ref.slice(0, 6), { status: "all" })).toEqual([ref]);
  });

  it("an erased customer's words are no longer searchable; the reference still is", () => {
    const ref = file({ description: "Mein Zähler zeigt falsche Werte." });
    expect(search("zahler")).toEqual([ref]);
    eraseCustomer(db, { customerId: "demo-customer-1", actor: { type: "system" } });
    expect(search("zahler", { status: "all" })).toEqual([]);
    expect(search(ref.toLowerCase())).toEqual([ref]);
  });

  it("rows written before the search column are backfilled when migrations run", () => {
    const ref = file({ description: "Straße gesperrt, Überweisung fehlt." });
    db.$client.prepare("update concerns set search_text = null").run();
    expect(search("strasse")).toEqual([]);
    runSyncMigrations(db);
    expect(search("STRASSE")).toEqual([ref]);
  });
});

describe("canned replies", () => {
  it("the demo has three replies in each of the four languages", () => {
    for (const lang of ["en", "fr", "de", "ar"]) expect(listCannedReplies(db, lang)).toHaveLength(3);
  });

  it("one text per key and language; staff need concerns.assign", () => {
    expect(code(() => saveCannedReply(db, { key: "thanks", lang: "en", title: "Thanks", body: "Thank you." }, agent))).toBe("forbidden");
    const id = saveCannedReply(db, { key: "thanks", lang: "en", title: "Thanks", body: "Thank you." }, supervisor);
    expect(code(() => saveCannedReply(db, { key: "thanks", lang: "en", title: "Again", body: "Again." }, supervisor))).toBe("duplicate_canned_reply");
    saveCannedReply(db, { id, key: "thanks", lang: "en", title: "Thanks!", body: "Thank you." }, supervisor);
    expect(listCannedReplies(db, "en").find((r) => r.id === id)?.title).toBe("Thanks!");
    expect(code(() => saveCannedReply(db, { key: "Bad Key", lang: "en", title: "x", body: "y" }, supervisor))).toBe("invalid");
  });
});
