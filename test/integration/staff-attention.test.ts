/**
 * The console's start page (SPEC §12 "what needs attention now"): the blocks each role sees, their
 * counts and lists, the good-news empty state, and the notification choices page
 * (/staff/account/notifications) — both over HTTP through the built app, with crafted requests.
 */
import { and, eq } from "drizzle-orm";
import { beforeEach, describe, expect, it } from "vitest";
import { attentionFor } from "../../app/domain/staff-attention.server";
import { incidentReportDueAt } from "../../app/domain/concerns/state.server";
import { notificationChoices } from "../../app/domain/staff-notifications.server";
import { aiSystems, concerns, monitoringAlerts, staffNotificationChoices, staffUsers } from "../../db/schema";
import { DEMO_STAFF } from "../../db/seed";
import { createTestApp, type TestApp } from "../support/app";
import { concernFor } from "../support/factories";
import { setConcernTimes, staffFor } from "../support/notification-factories";

const HOUR = 3_600_000;

/** Whether the page's checkbox for `kind` is ticked. */
const ticked = (html: string, kind: string) => new RegExp(`<input[^>]*checked=""[^>]*value="${kind}"`).test(html);

let app: TestApp;
beforeEach(async () => {
  app = await createTestApp();
  // Each test makes the cases it counts; the demo's stay out of the way.
  await app.db.update(concerns).set({ status: "closed" });
});

async function demoStaff(role: "agent" | "supervisor" | "admin") {
  const [row] = await app.db.select().from(staffUsers).where(eq(staffUsers.email, DEMO_STAFF.find((s) => s.role === role)!.email)).limit(1);
  return row!;
}

describe("attentionFor", () => {
  it("an agent: own overdue and due-soon cases, new cases nobody took; no incidents, breaches, audits or alerts", async () => {
    const db = app.db;
    const agent = await staffFor(db, { role: "agent" });
    const other = await staffFor(db, { role: "agent" });
    const now = Date.now();
    const late = await concernFor(db);
    const soon = await concernFor(db);
    const later = await concernFor(db);
    const othersLate = await concernFor(db);
    const free = await concernFor(db);
    await setConcernTimes(db, late.ref, { slaDueAt: now - HOUR, assigneeId: agent.id });
    await setConcernTimes(db, soon.ref, { slaDueAt: now + 2 * HOUR, assigneeId: agent.id });
    await setConcernTimes(db, later.ref, { slaDueAt: now + 48 * HOUR, assigneeId: agent.id });
    await setConcernTimes(db, othersLate.ref, { slaDueAt: now - HOUR, assigneeId: other.id });
    await db.update(concerns).set({ status: "in_progress" }).where(eq(concerns.ref, othersLate.ref));

    const attention = await attentionFor(db, agent, now);
    expect(attention.myOverdue).toMatchObject({ count: 1, capped: false, items: [{ ref: late.ref, kind: "other" }] });
    expect(attention.myDueSoon.items.map((i) => i.ref)).toEqual([soon.ref]);
    // Assigned cases are not "nobody took"; status new and free is.
    expect(attention.unassignedNew.items.map((i) => i.ref)).toEqual([free.ref]);
    expect(attention.seriousIncidents).toBeUndefined();
    expect(attention.breaches).toBeUndefined();
    expect(attention.audits).toBeUndefined();
    expect(attention.alerts).toBeUndefined();
  });

  it("a supervisor: open serious incidents with the Art. 73 report date, unanswered breach cases, audits and alerts", async () => {
    const db = app.db;
    const supervisor = await staffFor(db, { role: "supervisor" });
    const now = Date.now();
    const incident = await concernFor(db);
    await db.update(concerns).set({ seriousIncident: true, seriousIncidentAt: now - 2 * 24 * HOUR, status: "in_progress" }).where(eq(concerns.ref, incident.ref));
    const breach = await concernFor(db);
    await db.update(concerns).set({ origin: "breach" }).where(eq(concerns.ref, breach.ref));
    const answered = await concernFor(db);
    await db.update(concerns).set({ origin: "breach", status: "in_progress" }).where(eq(concerns.ref, answered.ref));
    const [system] = await db.select({ id: aiSystems.id }).from(aiSystems).where(eq(aiSystems.slug, "offer-predictor")).limit(1);
    await db.insert(monitoringAlerts).values({ systemId: system!.id, metric: "breaches", weekStart: now - 7 * 24 * HOUR, valueHundredths: 300, thresholdHundredths: 100, raisedAt: now });

    const attention = await attentionFor(db, supervisor, now);
    expect(attention.seriousIncidents!.items).toEqual([
      expect.objectContaining({ ref: incident.ref, reportDueAt: incidentReportDueAt({ seriousIncident: true, seriousIncidentAt: now - 2 * 24 * HOUR }) }),
    ]);
    expect(attention.breaches!.items.map((i) => i.ref)).toEqual([breach.ref]);
    // A breach case is the breach block's, not "new cases".
    expect(attention.unassignedNew.items.map((i) => i.ref)).not.toContain(breach.ref);
    expect(attention.alerts!.items.map((a) => a.metric)).toEqual(["breaches"]);
    expect(attention.audits).toBeDefined();
  });

  it("trainings: an agent sees only their own standing, a supervisor everyone's", async () => {
    const db = app.db;
    const agent = await staffFor(db, { role: "agent", name: "Untrained Agent" });
    const colleague = await staffFor(db, { role: "agent", name: "Untrained Colleague" });
    const supervisor = await demoStaff("supervisor");
    const mine = await attentionFor(db, agent, Date.now());
    expect(mine.trainings.items.map((i) => i.staffId)).toEqual([agent.id]);
    expect(mine.trainings.items[0]).toMatchObject({ course: null, validUntil: null });
    const theirs = await attentionFor(db, supervisor, Date.now());
    expect(theirs.trainings.items.map((i) => i.staffId)).toEqual(expect.arrayContaining([agent.id, colleague.id]));
  });
});

describe("/staff (the start page)", () => {
  it("signed out: sent to sign-in", async () => {
    const response = await app.request("/staff");
    expect(response.status).toBe(302);
    expect(response.headers.get("Location")).toMatch(/^\/staff\/login/);
  });

  it("an agent with nothing to do gets the good news", async () => {
    const cookie = await app.signInStaff("agent");
    const html = await (await app.request("/staff", { cookie })).text();
    expect(html).toContain("Nothing needs your attention");
  });

  it("an agent sees their overdue case, linked, and no supervisor blocks", async () => {
    const agent = await demoStaff("agent");
    const late = await concernFor(app.db);
    await setConcernTimes(app.db, late.ref, { slaDueAt: Date.now() - HOUR, assigneeId: agent.id });
    const cookie = await app.signInStaff("agent");
    const response = await app.request("/staff", { cookie });
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain("My overdue cases");
    expect(html).toContain(`href="/staff/concerns/${late.ref}"`);
    expect(html).toContain('href="/staff/concerns?assignee=me&amp;overdue=1"');
    expect(html).not.toContain("Nothing needs your attention");
    expect(html).not.toContain("Open serious incidents");
    expect(html).not.toContain("Open monitoring alerts");
  });

  it("a supervisor sees a serious incident in German when their console is German", async () => {
    const supervisor = await demoStaff("supervisor");
    await app.db.update(staffUsers).set({ locale: "de" }).where(eq(staffUsers.id, supervisor.id));
    const incident = await concernFor(app.db);
    await app.db.update(concerns).set({ seriousIncident: true, seriousIncidentAt: Date.now() }).where(eq(concerns.ref, incident.ref));
    const cookie = await app.signInStaff("supervisor");
    const html = await (await app.request("/staff", { cookie })).text();
    expect(html).toContain("Offene schwerwiegende Vorfälle");
    expect(html).toContain("Meldung (Art. 73) fällig am");
    expect(html).toContain(incident.ref);
  });
});

describe("/staff/account/notifications", () => {
  it("shows the kinds of one's role, ticked by default", async () => {
    const cookie = await app.signInStaff("agent");
    const response = await app.request("/staff/account/notifications", { cookie });
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain("a case is assigned to me");
    expect(html).not.toContain("an AI system acts without permission");
    expect(ticked(html, "assigned")).toBe(true);
    expect(ticked(html, "new_concern")).toBe(false);
  });

  it("saves the choices (without JavaScript: a plain post and a redirect)", async () => {
    const agent = await demoStaff("agent");
    const cookie = await app.signInStaff("agent");
    const response = await app.request("/staff/account/notifications", { cookie, form: new URLSearchParams([["intent", "save"], ["kind", "new_concern"], ["kind", "assigned"]]) });
    expect(response.status).toBe(303);
    expect(response.headers.get("Location")).toBe("/staff/account/notifications?done=saved");
    const choices = await notificationChoices(app.db, agent);
    expect(choices.filter((c) => c.enabled).map((c) => c.kind)).toEqual(["new_concern", "assigned"]);
    const page = await (await app.request("/staff/account/notifications?done=saved", { cookie })).text();
    expect(page).toContain("Your choices are saved.");
  });

  it("a crafted post for another role's kind changes nothing beyond one's own kinds", async () => {
    const agent = await demoStaff("agent");
    const cookie = await app.signInStaff("agent");
    const response = await app.request("/staff/account/notifications", { cookie, form: new URLSearchParams([["intent", "save"], ["kind", "breach"], ["kind", "monitoring_alert"]]) });
    expect(response.status).toBe(303);
    const rows = await app.db.select().from(staffNotificationChoices).where(and(eq(staffNotificationChoices.staffId, agent.id), eq(staffNotificationChoices.enabled, true)));
    expect(rows).toEqual([]);
    expect((await notificationChoices(app.db, agent)).map((c) => c.kind)).not.toContain("breach");
  });

  it("an unknown kind: 400 with a translated error, nothing stored, the boxes as sent", async () => {
    const agent = await demoStaff("agent");
    const cookie = await app.signInStaff("agent");
    const response = await app.request("/staff/account/notifications", { cookie, form: new URLSearchParams([["intent", "save"], ["kind", "assigned"], ["kind", "<script>"]]) });
    expect(response.status).toBe(400);
    const html = await response.text();
    expect(html).not.toContain("<script>");
    expect(html).toContain("This value is not valid.");
    expect(ticked(html, "assigned")).toBe(true);
    expect(ticked(html, "deadline_soon")).toBe(false);
    const before = await app.db.select().from(staffNotificationChoices).where(eq(staffNotificationChoices.staffId, agent.id));
    expect(before.every((c) => c.kind !== "assigned" || c.enabled)).toBe(true);
  });

  it("signed out: no page and no change", async () => {
    const before = await app.db.select().from(staffNotificationChoices);
    const page = await app.request("/staff/account/notifications");
    expect(page.status).toBe(302);
    const post = await app.request("/staff/account/notifications", { form: { intent: "save", kind: "new_concern" } });
    expect([302, 303, 401, 403]).toContain(post.status);
    expect(await app.db.select().from(staffNotificationChoices)).toEqual(before);
  });
});
