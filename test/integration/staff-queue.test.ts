import { and, eq } from "drizzle-orm";
import { beforeEach, describe, expect, it } from "vitest";
import { fileConcern, findConcernByRef, setConcernStatus } from "../../app/domain/concerns/index.server";
import { endOfDayDaysLater, endOfDayMonthsLater } from "../../app/utils/calendar";
import { auditLog, cannedReplies, concernMessages, concerns, outboxEmails, staffUsers } from "../../db/schema";
import { createTestApp, type TestApp } from "../support/app";
import { html, tr, trNs } from "../support/locales";

let app: TestApp;
beforeEach(async () => {
  app = await createTestApp();
});

const PASSWORDS = {
  agent: "demo-agent-password",
  supervisor: "demo-supervisor-password",
  admin: "demo-admin-password",
} as const;
type Role = keyof typeof PASSWORDS;

async function staffCookie(role: Role): Promise<string> {
  const login = await app.request("/staff/login", { form: { step: "password", email: `${role}@nordlys.example`, password: PASSWORDS[role] } });
  expect(login.status).toBe(303);
  return login.headers.get("Set-Cookie")!.split(";")[0]!;
}

const staffId = async (role: Role) => (await app.db.select().from(staffUsers).where(eq(staffUsers.email, `${role}@nordlys.example`)).limit(1))[0]!.id;
const concern = async (ref: string) => (await findConcernByRef(app.db, ref))!;
const q = (text: string, params?: Record<string, string | number>) => trNs("en", "queue", text, params);
const auditFor = async (ref: string, action: string) =>
  app.db.select().from(auditLog).where(and(eq(auditLog.targetId, ref), eq(auditLog.action, action)));

/** A fresh concern of demo-customer-1 who wants answers by email. */
async function fileOne(overrides: Partial<Parameters<typeof fileConcern>[1]> = {}) {
  return (await fileConcern(app.db, {
    customerId: "demo-customer-1",
    contactEmail: null,
    contactMethod: "email",
    lang: "en",
    kind: "unwanted_action",
    interactionId: null,
    systemId: null,
    description: "The assistant changed my plan without asking me first.",
    desiredOutcome: "Undo it please",
    ...overrides,
  })).ref;
}

async function post(cookie: string, ref: string, form: Record<string, string>) {
  return app.request(`/staff/concerns/${ref}`, { cookie, form: { revision: String((await concern(ref)).revision), ...form } });
}

describe("the queue (SPEC §4 Queue)", () => {
  it("lists open concerns for an agent with counts per status, search and filters in the URL", async () => {
    const cookie = await staffCookie("agent");
    const ref = await fileOne({ description: "Zebra-striped invoices were explained by a bot" });
    const page = await app.request("/staff/concerns", { cookie });
    expect(page.status).toBe(200);
    const body = await page.text();
    expect(body).toContain(ref);
    expect(body).toContain(html(q("keys.title")));
    // Counts per status (the seed has resolved, waiting and new concerns).
    const open = (await app.db.select().from(concerns)).filter((c) => ["new", "in_progress", "waiting_customer", "waiting_third_party", "escalated"].includes(c.status)).length;
    expect(body).toContain(`${q("statusFilter.open")} (${open})`);

    const search = await (await app.request("/staff/concerns?q=zebra-striped", { cookie })).text();
    expect(search).toContain(ref);
    expect(search).toContain(html(trNs("en", "queue", "table.title_one", { count: 1 })));
    const byRef = await (await app.request(`/staff/concerns?q=${ref.toLowerCase()}`, { cookie })).text();
    expect(byRef).toContain(ref);
    // Issue 7.10: accents and case ignored; a reference finds a closed concern under the default "open" filter.
    const german = await fileOne({ lang: "de", description: "Die Überweisung an den Händler wurde doppelt abgebucht." });
    const accented = await (await app.request(`/staff/concerns?q=${encodeURIComponent("überweisung")}`, { cookie })).text();
    expect(accented).toContain(german);
    expect(await (await app.request("/staff/concerns?q=HANDLER", { cookie })).text()).toContain(german);
    await setConcernStatus(app.db, (await findConcernByRef(app.db, german))!, "resolved", { outcomeCode: "explained", outcomeReason: "Refunded." });
    expect(await (await app.request(`/staff/concerns?q=${encodeURIComponent("überweisung")}`, { cookie })).text()).not.toContain(german);
    for (const spelled of [german, german.toLowerCase().replace(/-/g, "")]) {
      const closed = await (await app.request(`/staff/concerns?q=${spelled}&kind=privacy`, { cookie })).text();
      expect(closed, spelled).toContain(german);
      // …and says so, since the "open" tab and the kind filter still look selected.
      expect(closed, spelled).toContain(html(q("referenceSearch", { ref: german })));
    }
    expect(accented).not.toContain(html(q("referenceSearch", { ref: german })));
    const otherKind = await (await app.request("/staff/concerns?kind=privacy&q=zebra", { cookie })).text();
    expect(otherKind).not.toContain(ref);
    expect(otherKind).toContain(html(q("table.empty")));
    // Nonsense in the URL falls back to the defaults instead of failing.
    expect((await app.request("/staff/concerns?status=bogus&page=-3&sort=x&assignee=%27", { cookie })).status).toBe(200);
  });

  it("marks overdue and serious-incident rows in words, filters overdue, and pages by 25", async () => {
    const cookie = await staffCookie("supervisor");
    const now = Date.now();
    const late = await fileOne({ now: now - 5 * 86_400_000, description: "An old concern nobody answered yet." });
    const created: string[] = [];
    for (let i = 0; i < 26; i++) created.push(await fileOne());
    await post(cookie, created[0]!, { intent: "incident", flag: "on" });

    const overdue = await (await app.request("/staff/concerns?overdue=1", { cookie })).text();
    expect(overdue).toContain(late);
    expect(overdue).not.toContain(created[1]!);
    expect(overdue).toContain(q("badges.overdue"));

    const first = await (await app.request("/staff/concerns", { cookie })).text();
    // Sorted by due date: the overdue one comes first.
    expect(first.indexOf(late)).toBeLessThan(first.indexOf(created[5]!));
    expect(first).toContain(q("badges.incident"));
    expect((first.match(/name="ref"/g) ?? []).length).toBe(25);
    expect(first).toContain('href="/staff/concerns?page=2"');
    const second = await (await app.request("/staff/concerns?page=2&sort=created", { cookie })).text();
    expect((second.match(/name="ref"/g) ?? []).length).toBeGreaterThan(0);
    expect(second).toContain(html(tr("en", "pagination.pageOf", { page: 2, pageCount: 2 })));
  });

  it("filters by assignee: me and unassigned", async () => {
    const cookie = await staffCookie("agent");
    const mine = await fileOne();
    const free = await fileOne();
    expect((await post(cookie, mine, { intent: "claim" })).status).toBe(303);
    const me = await (await app.request("/staff/concerns?assignee=me", { cookie })).text();
    expect(me).toContain(mine);
    expect(me).not.toContain(free);
    const none = await (await app.request("/staff/concerns?assignee=none", { cookie })).text();
    expect(none).toContain(free);
    expect(none).not.toContain(mine);
  });

  it("bulk: applies the legal changes, reports the illegal ones, audits each", async () => {
    const cookie = await staffCookie("agent");
    const a = await fileOne();
    const b = await fileOne();
    const done = await fileOne();
    expect((await post(cookie, done, { intent: "status", to: "resolved", outcomeCode: "explained", outcomeReason: "We explained it." })).status).toBe(303);
    expect((await post(cookie, done, { intent: "status", to: "closed" })).status).toBe(303);
    const response = await app.request("/staff/concerns?status=all", { cookie, form: new URLSearchParams([["intent", "status"], ["to", "in_progress"], ["ref", a], ["ref", b], ["ref", done]]) });
    expect(response.status).toBe(409);
    const page = await response.text();
    expect(page).toContain(html(trNs("en", "queue", "bulk.partial_other", { count: 2 })));
    expect(page).toContain(html(q("errors.illegal_transition")));
    // The closed one is left as it was and named; the others changed, each with its own audit entry.
    expect((await concern(done)).status).toBe("closed");
    expect([(await concern(a)).status, (await concern(b)).status]).toEqual(["in_progress", "in_progress"]);
    expect((await auditFor(a, "concern.status_changed")).at(-1)!.details).toContain('"bulk":true');
    expect(await auditFor(b, "concern.status_changed")).toHaveLength(1);
    expect(await auditFor(done, "concern.status_changed")).toHaveLength(2);

    const ok = await app.request("/staff/concerns?status=all", { cookie, form: new URLSearchParams([["intent", "status"], ["to", "escalated"], ["ref", a], ["ref", b]]) });
    expect(ok.status).toBe(303);
    expect(ok.headers.get("Location")).toBe("/staff/concerns?status=all&bulkDone=2");
    expect([(await concern(a)).status, (await concern(b)).status]).toEqual(["escalated", "escalated"]);
    expect(await (await app.request(ok.headers.get("Location")!, { cookie })).text()).toContain(html(trNs("en", "queue", "bulk.done_other", { count: 2 })));

    // Marking as spam needs the "I understand" box; without it nothing changes.
    const unconfirmed = await app.request("/staff/concerns", { cookie, form: new URLSearchParams([["intent", "spam"], ["ref", a]]) });
    expect(unconfirmed.status).toBe(400);
    expect(await unconfirmed.text()).toContain(html(q("errors.confirmSpam")));
    expect((await concern(a)).status).toBe("escalated");
    const spam = await app.request("/staff/concerns", { cookie, form: new URLSearchParams([["intent", "spam"], ["ref", a], ["confirm", "yes"]]) });
    expect(spam.status).toBe(303);
    expect((await concern(a)).status).toBe("spam");
    expect(await auditFor(a, "concern.status_changed")).toHaveLength(3);

    const nothing = await app.request("/staff/concerns", { cookie, form: { intent: "spam" } });
    expect(nothing.status).toBe(400);
    expect(await nothing.text()).toContain(html(q("errors.noneSelected")));
  });

  it("bulk assign is for supervisors: an agent's crafted request gets 403 and changes nothing", async () => {
    const agent = await staffCookie("agent");
    const ref = await fileOne();
    const auditBefore = (await app.db.select().from(auditLog)).length;
    const crafted = await app.request("/staff/concerns", { cookie: agent, form: new URLSearchParams([["intent", "assign"], ["assignee", String(await staffId("agent"))], ["ref", ref]]) });
    expect(crafted.status).toBe(403);
    expect((await concern(ref)).assigneeId).toBeNull();
    expect((await app.db.select().from(auditLog)).length).toBe(auditBefore);

    const supervisor = await staffCookie("supervisor");
    const assigned = await app.request("/staff/concerns", { cookie: supervisor, form: new URLSearchParams([["intent", "assign"], ["assignee", String(await staffId("agent"))], ["ref", ref]]) });
    expect(assigned.status).toBe(303);
    expect((await concern(ref)).assigneeId).toBe(await staffId("agent"));
    expect(await auditFor(ref, "concern.assigned")).toHaveLength(1);
  });

  it("needs a staff session", async () => {
    const response = await app.request("/staff/concerns");
    expect(response.status).toBe(302);
    expect(response.headers.get("Location")).toMatch(/^\/staff\/login/);
  });
});

describe("the case page (SPEC §4 Case)", () => {
  it("shows the customer's text as text, their language, choices, deadlines and timeline", async () => {
    const cookie = await staffCookie("agent");
    const ref = await fileOne({ description: '<script>alert("x")</script> please <b>explain</b>', kind: "explanation" });
    const response = await app.request(`/staff/concerns/${ref.toLowerCase()}`, { cookie });
    expect(response.status).toBe(200);
    const page = await response.text();
    expect(page).not.toContain('<script>alert("x")</script>');
    expect(page).toContain("&lt;script&gt;");
    expect(page).toContain(html(q("deadlines.sla.first_response")));
    expect(page).toContain(html(q("deadlines.statutory")));
    expect(page).toContain(html(q("timeline.filed")));
    // The customer's current choices, with the choice labels (demo-customer-1 forbade plan changes).
    expect(page).toContain(html(q("case.choicesTitle")));
    expect(page).toContain(html(tr("en", "choiceValues.never")));
    expect(page).toContain(`name="revision" value="${(await concern(ref)).revision}"`);
    expect((await app.request("/staff/concerns/C-0000-0000", { cookie })).status).toBe(404);
    expect((await app.request("/staff/concerns/not-a-ref", { cookie })).status).toBe(404);
  });

  it("an agent claims, sets priority and kind, and moves the case through the status machine — all audited", async () => {
    const cookie = await staffCookie("agent");
    const ref = await fileOne();
    const claim = await post(cookie, ref, { intent: "claim" });
    expect(claim.status).toBe(303);
    expect(claim.headers.get("Location")).toBe(`/staff/concerns/${ref}?done=claim`);
    expect((await concern(ref)).assigneeId).toBe(await staffId("agent"));
    expect(await auditFor(ref, "concern.claimed")).toHaveLength(1);

    expect((await post(cookie, ref, { intent: "priority", priority: "urgent" })).status).toBe(303);
    expect((await concern(ref)).priority).toBe("urgent");
    expect((await post(cookie, ref, { intent: "kind", kind: "human_review" })).status).toBe(303);
    expect((await concern(ref)).kind).toBe("human_review");
    expect((await concern(ref)).statutoryDueAt).toBe(endOfDayMonthsLater((await concern(ref)).createdAt, 1, "Europe/Brussels"));
    expect((await auditFor(ref, "concern.priority_changed"))[0]!.details).toBe('{"from":"normal","to":"urgent"}');

    // Illegal: new → closed.
    const illegal = await post(cookie, ref, { intent: "status", to: "closed" });
    expect(illegal.status).toBe(409);
    expect(await illegal.text()).toContain(html(q("errors.illegal_transition")));
    expect((await concern(ref)).status).toBe("new");

    expect((await post(cookie, ref, { intent: "status", to: "in_progress" })).status).toBe(303);
    expect((await post(cookie, ref, { intent: "status", to: "waiting_third_party" })).status).toBe(303);
    expect((await post(cookie, ref, { intent: "status", to: "escalated" })).status).toBe(303);

    // Resolving needs an outcome and a reason: translated errors, what was typed kept, nothing stored.
    const incomplete = await post(cookie, ref, { intent: "status", to: "resolved", outcomeReason: "Half-written reason" });
    expect(incomplete.status).toBe(400);
    const incompletePage = await incomplete.text();
    expect(incompletePage).toContain(html(q("errors.outcomeRequired")));
    expect(incompletePage).toContain("Half-written reason");
    expect((await concern(ref)).status).toBe("escalated");

    const resolved = await post(cookie, ref, { intent: "status", to: "resolved", outcomeCode: "action_reversed", outcomeReason: "We put your plan back." });
    expect(resolved.status).toBe(303);
    expect(await concern(ref)).toMatchObject({ status: "resolved", outcomeCode: "action_reversed", outcomeReason: "We put your plan back." });
    const email = (await app.db.select().from(outboxEmails).where(and(eq(outboxEmails.concernId, (await concern(ref)).id), eq(outboxEmails.template, "concern_resolved"))).limit(1))[0];
    expect(email?.bodyText).toContain("We put your plan back.");
    expect((await post(cookie, ref, { intent: "status", to: "closed" })).status).toBe(303);
    expect((await auditFor(ref, "concern.status_changed")).map((a) => JSON.parse(a.details).to)).toEqual(["in_progress", "waiting_third_party", "escalated", "resolved", "closed"]);

    const timeline = await (await app.request(`/staff/concerns/${ref}`, { cookie })).text();
    expect(timeline).toContain(html(trNs("en", "queue", "timeline.change.claimed", { who: "Alex Agent" })));
    expect(timeline).toContain(html(trNs("en", "queue", "timeline.change.priority_changed", { from: "Normal", to: "Urgent", who: "Alex Agent" })));
    expect(timeline).toContain(html(q("case.noTransitions")));
  });

  it("a reply reaches the customer's status page and the outbox; an internal note does not", async () => {
    const cookie = await staffCookie("agent");
    const ref = await fileOne();
    const before = await concern(ref);
    const reply = await post(cookie, ref, { intent: "reply", body: "We are reverting the change now." });
    expect(reply.status).toBe(303);
    const note = await post(cookie, ref, { intent: "note", body: "INTERNAL: checked the logs." });
    expect(note.status).toBe(303);
    const after = await concern(ref);
    expect(after.firstResponseAt).not.toBeNull();
    // After the first public reply the SLA target is resolution, counted from filing.
    expect(after.slaDueAt).toBe(before.createdAt + 240 * 3_600_000);

    const emails = await app.db.select().from(outboxEmails).where(and(eq(outboxEmails.concernId, after.id), eq(outboxEmails.template, "concern_reply")));
    expect(emails).toHaveLength(1);
    expect(emails[0]!.bodyText).toContain("We are reverting the change now.");
    expect(emails[0]!.toAddress).toBe("alex.morgan@example.com");

    const customer = await app.signIn("demo-customer-1");
    const status = await (await app.request(`/en/me/concerns/${ref}`, { cookie: customer })).text();
    expect(status).toContain("We are reverting the change now.");
    expect(status).not.toContain("INTERNAL: checked the logs.");
    expect(await auditFor(ref, "concern.replied")).toHaveLength(1);
    expect(await auditFor(ref, "concern.note_added")).toHaveLength(1);
    // Audit details hold ids, never the text.
    expect((await auditFor(ref, "concern.replied"))[0]!.details).not.toContain("reverting");

    const staffPage = await (await app.request(`/staff/concerns/${ref}`, { cookie })).text();
    expect(staffPage).toContain("INTERNAL: checked the logs.");
    expect(staffPage).toContain(html(trNs("en", "queue", "triage.entry.note")));
    expect(staffPage).toContain(html(trNs("en", "queue", "triage.entryBy", { who: "Alex Agent" })));

    const empty = await post(cookie, ref, { intent: "reply", body: "  " });
    expect(empty.status).toBe(400);
    expect(await empty.text()).toContain(html(tr("en", "errors.required")));
    expect(await app.db.select().from(concernMessages).where(eq(concernMessages.concernId, after.id))).toHaveLength(2);
  });

  it("two staff on one case: the stale form gets a translated 409 that keeps what was typed", async () => {
    const agent = await staffCookie("agent");
    const supervisor = await staffCookie("supervisor");
    const ref = await fileOne();
    const seen = String((await concern(ref)).revision);
    expect((await app.request(`/staff/concerns/${ref}`, { cookie: supervisor, form: { intent: "priority", priority: "high", revision: seen } })).status).toBe(303);

    const stale = await app.request(`/staff/concerns/${ref}`, { cookie: agent, form: { intent: "reply", body: "My carefully typed answer.", revision: seen } });
    expect(stale.status).toBe(409);
    const page = await stale.text();
    expect(page).toContain(html(q("errors.stale")));
    expect(page).toContain("My carefully typed answer.");
    // The page shows the current state, with the current revision to send again.
    expect(page).toContain(`name="revision" value="${(await concern(ref)).revision}"`);
    expect(page).toContain(html(trNs("en", "queue", "case.priorityPill", { priority: "High" })));
    expect(await app.db.select().from(concernMessages).where(eq(concernMessages.concernId, (await concern(ref)).id))).toHaveLength(0);
    expect(await app.db.select().from(outboxEmails).where(and(eq(outboxEmails.concernId, (await concern(ref)).id), eq(outboxEmails.template, "concern_reply")))).toHaveLength(0);

    // The customer replying also changes the case.
    const staleStatus = String((await concern(ref)).revision);
    const customer = await app.signIn("demo-customer-1");
    expect((await app.request(`/en/me/concerns/${ref}`, { cookie: customer, form: { intent: "reply", body: "Any news?" } })).status).toBe(303);
    const late = await app.request(`/staff/concerns/${ref}`, { cookie: agent, form: { intent: "status", to: "in_progress", revision: staleStatus } });
    expect(late.status).toBe(409);
    expect((await concern(ref)).status).toBe("new");

    const noRevision = await app.request(`/staff/concerns/${ref}`, { cookie: agent, form: { intent: "claim" } });
    expect(noRevision.status).toBe(400);
  });

  it("an agent's crafted POSTs to assign someone else or flag a serious incident get 403 and change nothing", async () => {
    const agent = await staffCookie("agent");
    const ref = await fileOne();
    const before = await concern(ref);
    const auditBefore = (await app.db.select().from(auditLog)).length;
    const crafted: Record<string, string>[] = [
      { intent: "assign", assignee: String(await staffId("supervisor")) },
      { intent: "assign", assignee: "none" },
      { intent: "incident", flag: "on" },
    ];
    for (const form of crafted) {
      const response = await post(agent, ref, form);
      expect(response.status, form.intent).toBe(403);
    }
    expect(await concern(ref)).toEqual(before);
    expect((await app.db.select().from(auditLog)).length).toBe(auditBefore);

    // Taking a case that is someone else's is reassigning: also not for agents.
    const supervisor = await staffCookie("supervisor");
    expect((await post(supervisor, ref, { intent: "assign", assignee: String(await staffId("supervisor")) })).status).toBe(303);
    expect((await post(agent, ref, { intent: "claim" })).status).toBe(403);
    expect((await concern(ref)).assigneeId).toBe(await staffId("supervisor"));
    // The agent's page offers neither action.
    const page = await (await app.request(`/staff/concerns/${ref}`, { cookie: agent })).text();
    expect(page).not.toContain(html(q("case.incidentFlag")));
    expect(page).not.toContain('value="assign"');
  });

  it("a supervisor assigns, unassigns and flags a serious incident with its 15-day reporting clock", async () => {
    const cookie = await staffCookie("supervisor");
    const ref = await fileOne();
    expect((await post(cookie, ref, { intent: "assign", assignee: String(await staffId("agent")) })).status).toBe(303);
    expect((await concern(ref)).assigneeId).toBe(await staffId("agent"));
    expect((await post(cookie, ref, { intent: "assign", assignee: "999999" })).status).toBe(400);
    expect((await post(cookie, ref, { intent: "assign", assignee: "none" })).status).toBe(303);
    expect((await concern(ref)).assigneeId).toBeNull();
    expect(await auditFor(ref, "concern.unassigned")).toHaveLength(1);

    expect((await post(cookie, ref, { intent: "incident", flag: "on" })).status).toBe(303);
    const flagged = await concern(ref);
    expect(flagged.seriousIncident).toBe(true);
    expect(flagged.seriousIncidentAt).not.toBeNull();
    const page = await (await app.request(`/staff/concerns/${ref}`, { cookie })).text();
    expect(page).toContain(html(q("deadlines.incident")));
    // Due at the end of the 15th day after the flag, on the company's calendar.
    expect(page).toContain(new Date(endOfDayDaysLater(flagged.seriousIncidentAt!, 15, "Europe/Brussels")).toISOString());
    expect(await auditFor(ref, "concern.serious_incident_flagged")).toHaveLength(1);
  });

  it("merges a duplicate into another concern, and refuses an unknown target", async () => {
    const cookie = await staffCookie("agent");
    const original = await fileOne();
    const duplicate = await fileOne();
    const unknown = await post(cookie, duplicate, { intent: "status", to: "merged", mergeInto: "C-0000-0000" });
    expect(unknown.status).toBe(400);
    expect(await unknown.text()).toContain(html(q("errors.unknown_merge_target")));
    expect((await post(cookie, duplicate, { intent: "status", to: "merged", mergeInto: original.toLowerCase() })).status).toBe(303);
    expect(await concern(duplicate)).toMatchObject({ status: "merged", mergedIntoId: (await concern(original)).id });
    expect((await auditFor(duplicate, "concern.status_changed"))[0]!.details).toContain(original);
  });
});

describe("canned replies", () => {
  it("the case page offers canned replies in the concern's language and fills the reply with one (no JavaScript)", async () => {
    const cookie = await staffCookie("agent");
    const ref = await fileOne({ lang: "fr" });
    const page = await (await app.request(`/staff/concerns/${ref}`, { cookie })).text();
    const fr = await app.db.select().from(cannedReplies).where(eq(cannedReplies.lang, "fr"));
    expect(fr).toHaveLength(3);
    for (const reply of fr) expect(page).toContain(html(reply.title));
    const en = await app.db.select().from(cannedReplies).where(eq(cannedReplies.lang, "en"));
    expect(page).not.toContain(html(en[0]!.title));
    const filled = await (await app.request(`/staff/concerns/${ref}?canned=${fr[1]!.id}`, { cookie })).text();
    expect(filled).toMatch(new RegExp(`<textarea[^>]*name="body"[^>]*>${html(fr[1]!.body).replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}</textarea>`));
  });

  it("supervisors list, create and edit canned replies (audited); agents get 403", async () => {
    const agent = await staffCookie("agent");
    expect((await app.request("/staff/canned-replies", { cookie: agent })).status).toBe(403);
    const before = await app.db.select().from(cannedReplies);
    const crafted = await app.request("/staff/canned-replies", { cookie: agent, form: { key: "sneaky", lang: "en", title: "Hi", body: "Hello" } });
    expect(crafted.status).toBe(403);
    const edit = await app.request("/staff/canned-replies", { cookie: agent, form: { id: String(before[0]!.id), key: before[0]!.key, lang: before[0]!.lang, title: "Hacked", body: "Hacked" } });
    expect(edit.status).toBe(403);
    expect(await app.db.select().from(cannedReplies)).toEqual(before);

    const cookie = await staffCookie("supervisor");
    const list = await (await app.request("/staff/canned-replies", { cookie })).text();
    expect(list).toContain(html(before[0]!.title));
    const created = await app.request("/staff/canned-replies", { cookie, form: { key: "refund-issued", lang: "de", title: "Erstattung", body: "Wir haben den Betrag erstattet." } });
    expect(created.status).toBe(303);
    const row = (await app.db.select().from(cannedReplies).where(eq(cannedReplies.key, "refund-issued")).limit(1))[0]!;
    expect(row).toMatchObject({ lang: "de", title: "Erstattung" });
    const duplicate = await app.request("/staff/canned-replies", { cookie, form: { key: "refund-issued", lang: "de", title: "Zweimal", body: "Nochmal." } });
    expect(duplicate.status).toBe(409);
    expect(await duplicate.text()).toContain(html(q("errors.duplicate_canned_reply")));
    const edited = await app.request("/staff/canned-replies", { cookie, form: { id: String(row.id), key: "refund-issued", lang: "de", title: "Erstattung veranlasst", body: "Wir haben den Betrag erstattet." } });
    expect(edited.status).toBe(303);
    expect((await app.db.select().from(cannedReplies).where(eq(cannedReplies.id, row.id)).limit(1))[0]!.title).toBe("Erstattung veranlasst");
    const audits = (await app.db.select().from(auditLog).where(eq(auditLog.targetId, String(row.id)))).filter((a) => a.targetType === "canned_reply");
    expect(audits.map((a) => a.action)).toEqual(["canned_reply.created", "canned_reply.updated"]);
    const bad = await app.request("/staff/canned-replies", { cookie, form: { key: "Not A Key!", lang: "xx", title: "", body: "" } });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain(html(q("errors.cannedKey")));
    const editPage = await (await app.request(`/staff/canned-replies?edit=${row.id}`, { cookie })).text();
    expect(editPage).toContain("Erstattung veranlasst");
  });
});
