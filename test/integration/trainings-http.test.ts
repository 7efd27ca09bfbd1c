/**
 * AI literacy over HTTP (AI Act Art. 4, SPEC §12): the rule "no claim or assignment without a
 * current training" proven with crafted requests against the real built app, and the
 * /staff/trainings page's role checks and forms.
 */
import { and, eq } from "drizzle-orm";
import { beforeEach, describe, expect, it } from "vitest";
import { fileConcern, findConcernByRef } from "../../app/domain/concerns/index.server";
import { setSetting } from "../../app/domain/settings.server";
import { localDay } from "../../app/utils/calendar";
import { auditLog, staffTrainings } from "../../db/schema";
import { createTestApp, type TestApp } from "../support/app";
import { html, trNs } from "../support/locales";
import { giveTraining, newStaffMember, staffIdByEmail, TRAINEE_PASSWORD } from "../support/staff-training-factories";

let app: TestApp;
beforeEach(async () => {
  app = await createTestApp();
});

const q = (key: string) => html(trNs("en", "queue", key));
const tt = (key: string, params?: Record<string, string | number>) => html(trNs("en", "trainings", key, params));
const today = () => localDay(Date.now(), "Europe/Brussels");

async function signInAs(email: string): Promise<string> {
  const login = await app.request("/staff/login", { form: { step: "password", email, password: TRAINEE_PASSWORD } });
  expect(login.status).toBe(303);
  return login.headers.get("Set-Cookie")!.split(";")[0]!;
}

async function fileOne(): Promise<string> {
  const { ref } = await fileConcern(app.db, {
    customerId: "demo-customer-1",
    contactEmail: null,
    contactMethod: "portal",
    lang: "en",
    kind: "unwanted_action",
    interactionId: null,
    systemId: null,
    description: "The assistant changed my plan without asking me first.",
    desiredOutcome: "Undo it please",
  });
  return ref;
}

const concern = async (ref: string) => (await findConcernByRef(app.db, ref))!;
const postCase = async (cookie: string, ref: string, form: Record<string, string>) =>
  app.request(`/staff/concerns/${ref}`, { cookie, form: { revision: String((await concern(ref)).revision), ...form } });
const assignAudits = async (ref: string) => app.db.select().from(auditLog).where(and(eq(auditLog.targetId, ref), eq(auditLog.action, "concern.assigned")));

describe("no concerns without a current training (AI Act Art. 4)", () => {
  it("an untrained agent's claim is refused with a translated message until a training is recorded", async () => {
    const trainee = await newStaffMember(app.db, "agent", "Una Untrained");
    const cookie = await signInAs(trainee.email);
    const ref = await fileOne();
    const refused = await postCase(cookie, ref, { intent: "claim" });
    expect(refused.status).toBe(409);
    expect(await refused.text()).toContain(q("errors.not_trained"));
    expect((await concern(ref)).assigneeId).toBeNull();

    // An expired training does not count either; a current one does.
    await giveTraining(app.db, trainee.id, { validUntil: "2025-12-31" });
    expect((await postCase(cookie, ref, { intent: "claim" })).status).toBe(409);
    await giveTraining(app.db, trainee.id, { validUntil: null });
    expect((await postCase(cookie, ref, { intent: "claim" })).status).toBe(303);
    expect((await concern(ref)).assigneeId).toBe(trainee.id);
  });

  it("a supervisor cannot give a case to an untrained agent, on the case page or in bulk; with the rule off they can", async () => {
    const trainee = await newStaffMember(app.db, "agent", "Una Untrained");
    const supervisor = await app.signInStaff("supervisor");
    const ref = await fileOne();
    const other = await fileOne();

    const onCase = await postCase(supervisor, ref, { intent: "assign", assignee: String(trainee.id) });
    expect(onCase.status).toBe(409);
    expect(await onCase.text()).toContain(q("errors.assignee_not_trained"));
    expect((await concern(ref)).assigneeId).toBeNull();

    const bulk = await app.request("/staff/concerns", { cookie: supervisor, form: new URLSearchParams([["intent", "assign"], ["assignee", String(trainee.id)], ["ref", ref], ["ref", other]]) });
    expect(bulk.status).toBe(409);
    expect(await bulk.text()).toContain(q("errors.assignee_not_trained"));
    expect([(await concern(ref)).assigneeId, (await concern(other)).assigneeId]).toEqual([null, null]);
    expect(await assignAudits(ref)).toEqual([]);

    // A trained colleague can still be given the case.
    const agentId = await staffIdByEmail(app.db, "agent@nordlys.example");
    expect((await postCase(supervisor, ref, { intent: "assign", assignee: String(agentId) })).status).toBe(303);

    await setSetting(app.db, "requireTraining", false);
    expect((await postCase(supervisor, other, { intent: "assign", assignee: String(trainee.id) })).status).toBe(303);
    expect((await concern(other)).assigneeId).toBe(trainee.id);
  });
});

describe("/staff/trainings", () => {
  it("supervisors see coverage and expiries; agents and signed-out visitors do not get in", async () => {
    await newStaffMember(app.db, "agent", "Una Untrained");
    const supervisor = await app.signInStaff("supervisor");
    const page = await app.request("/staff/trainings", { cookie: supervisor });
    expect(page.status).toBe(200);
    const body = await page.text();
    // The three demo accounts are trained, the new agent is not.
    expect(body).toContain(tt("coverage.figure_other", { count: 4, trained: "3", total: "4", percent: "75" }));
    expect(body).toContain("Una Untrained");
    expect(body).toContain(tt("status.none"));
    expect(body).not.toContain(tt("form.recordTitle"));
    expect(body).toContain(tt("form.adminsOnly"));

    const agent = await app.signInStaff("agent");
    expect((await app.request("/staff/trainings", { cookie: agent })).status).toBe(403);
    const signedOut = await app.request("/staff/trainings");
    expect(signedOut.status).toBe(302);
    expect(signedOut.headers.get("Location")).toContain("/staff/login");
  });

  it("only admins change trainings: a supervisor's crafted POST gets 403 and changes nothing", async () => {
    const trainee = await newStaffMember(app.db, "agent");
    const supervisor = await app.signInStaff("supervisor");
    const before = await app.db.select().from(staffTrainings);
    const form = { intent: "record", staffId: String(trainee.id), course: "AI basics", completedOn: today(), validUntil: "", evidenceNote: "" };
    expect((await app.request("/staff/trainings", { cookie: supervisor, form })).status).toBe(403);
    const agent = await app.signInStaff("agent");
    expect((await app.request("/staff/trainings", { cookie: agent, form })).status).toBe(403);
    const [one] = before;
    expect((await app.request("/staff/trainings", { cookie: supervisor, form: { intent: "delete", trainingId: String(one!.id), confirm: "yes" } })).status).toBe(403);
    expect(await app.db.select().from(staffTrainings)).toEqual(before);
  });

  it("an admin records, corrects and deletes without JavaScript; bad input is refused, translated and kept", async () => {
    const trainee = await newStaffMember(app.db, "agent", "Una Untrained");
    const admin = await app.signInStaff("admin");

    const bad = await app.request("/staff/trainings", { cookie: admin, form: { intent: "record", staffId: String(trainee.id), course: "Kept course name", completedOn: "2999-01-01", validUntil: "", evidenceNote: "Kept note" } });
    expect(bad.status).toBe(400);
    const badBody = await bad.text();
    expect(badBody).toContain(tt("errors.completed_in_future"));
    expect(badBody).toContain('value="Kept course name"');
    expect(badBody).toContain("Kept note");
    const garbage = await app.request("/staff/trainings", { cookie: admin, form: { intent: "record", staffId: "abc", course: "", completedOn: "yesterday" } });
    expect(garbage.status).toBe(400);
    expect(await garbage.text()).toContain(tt("errors.invalid_date"));
    const reversed = await app.request("/staff/trainings", { cookie: admin, form: { intent: "record", staffId: String(trainee.id), course: "AI basics", completedOn: today(), validUntil: "2020-01-01" } });
    expect(reversed.status).toBe(400);
    expect(await reversed.text()).toContain(tt("errors.ends_before_completed"));
    expect(await app.db.select().from(staffTrainings).where(eq(staffTrainings.staffId, trainee.id))).toEqual([]);

    const recorded = await app.request("/staff/trainings", { cookie: admin, form: { intent: "record", staffId: String(trainee.id), course: "AI basics", completedOn: today(), validUntil: "", evidenceNote: "Certificate 77" } });
    expect(recorded.status).toBe(303);
    expect(recorded.headers.get("Location")).toBe("/staff/trainings?done=recorded");
    const [row] = await app.db.select().from(staffTrainings).where(eq(staffTrainings.staffId, trainee.id));
    expect(row).toMatchObject({ course: "AI basics", completedOn: today(), validUntil: null, evidenceNote: "Certificate 77" });

    const edit = await app.request(`/staff/trainings?edit=${row!.id}`, { cookie: admin });
    expect(await edit.text()).toContain(tt("form.correctTitle", { name: "Una Untrained" }));
    const corrected = await app.request(`/staff/trainings?edit=${row!.id}`, { cookie: admin, form: { intent: "correct", trainingId: String(row!.id), course: "AI basics", completedOn: today(), validUntil: "2099-12-31", evidenceNote: "" } });
    expect(corrected.status).toBe(303);
    expect((await app.db.select().from(staffTrainings).where(eq(staffTrainings.id, row!.id)))[0]!.validUntil).toBe("2099-12-31");

    const unconfirmed = await app.request("/staff/trainings", { cookie: admin, form: { intent: "delete", trainingId: String(row!.id) } });
    expect(unconfirmed.status).toBe(400);
    expect(await unconfirmed.text()).toContain(tt("errors.confirm"));
    const missing = await app.request("/staff/trainings", { cookie: admin, form: { intent: "delete", trainingId: "999999", confirm: "yes" } });
    expect(missing.status).toBe(404);
    expect((await app.request("/staff/trainings", { cookie: admin, form: { intent: "delete", trainingId: String(row!.id), confirm: "yes" } })).status).toBe(303);
    expect(await app.db.select().from(staffTrainings).where(eq(staffTrainings.staffId, trainee.id))).toEqual([]);
    const actions = (await app.db.select().from(auditLog).where(eq(auditLog.targetId, String(trainee.id)))).map((a) => a.action);
    expect(actions.filter((a) => a.startsWith("training."))).toEqual(["training.recorded", "training.corrected", "training.deleted"]);
  });
});

describe("a staff member's own training on My account", () => {
  it("an agent sees their own standing and trainings there, and none of anyone else's", async () => {
    const trainee = await newStaffMember(app.db, "agent", "Una Untrained");
    const colleague = await newStaffMember(app.db, "agent", "Cora Colleague");
    await giveTraining(app.db, colleague.id, { course: "Colleague course", validUntil: null });
    const cookie = await signInAs(trainee.email);
    const before = await (await app.request("/staff/account", { cookie })).text();
    expect(before).toContain(tt("mine.title"));
    expect(before).toContain(tt("mine.none"));
    expect(before).toContain(tt("status.none"));

    await giveTraining(app.db, trainee.id, { course: "Prompting with care", validUntil: null });
    const after = await (await app.request("/staff/account", { cookie })).text();
    expect(after).toContain("Prompting with care");
    expect(after).toContain(tt("status.current"));
    expect(after).not.toContain(tt("mine.none"));
    expect(after).not.toContain("Colleague course");
  });
});
