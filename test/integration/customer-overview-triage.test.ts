import { and, eq } from "drizzle-orm";
import { beforeEach, describe, expect, it } from "vitest";
import { fileConcern, findConcernByRef } from "../../app/domain/concerns/index.server";
import { createStaffUser } from "../../app/domain/staff.server";
import { concernMessages, outboxEmails } from "../../db/schema";
import { createTestApp, type TestApp } from "../support/app";
import { html, trNs } from "../support/locales";

// The case page as a triage tool (issue 11, item 10): one action panel; a reply and an internal
// note are two intents, so a note can never reach the customer, whatever else a request carries.
let app: TestApp;
beforeEach(async () => {
  app = await createTestApp();
});

const q = (key: string, params?: Record<string, string | number>) => trNs("en", "queue", key, params);

async function emailCase() {
  const { ref } = await fileConcern(app.db, {
    customerId: "demo-customer-1", contactEmail: null, contactMethod: "email", lang: "en", kind: "unwanted_action",
    interactionId: null, systemId: null, description: "The assistant changed my plan.", desiredOutcome: "Undo it.",
  });
  const concern = (await findConcernByRef(app.db, ref))!;
  return { ref, id: concern.id, revision: String(concern.revision) };
}

const messages = (concernId: number) => app.db.select().from(concernMessages).where(eq(concernMessages.concernId, concernId));
const replyEmails = (concernId: number) =>
  app.db.select().from(outboxEmails).where(and(eq(outboxEmails.concernId, concernId), eq(outboxEmails.template, "concern_reply")));

describe("the case page as a triage tool", () => {
  it("shows one action panel, two composers with different buttons, and who a reply goes to", async () => {
    const { ref } = await emailCase();
    const page = await (await app.request(`/staff/concerns/${ref}`, { cookie: await app.signInStaff("supervisor") })).text();
    expect(page).toContain(html(q("triage.panelTitle")));
    expect(page.match(/class="card stack case-panel"/g)).toHaveLength(1);
    expect(page).toContain(html(q("triage.sendReply")));
    expect(page).toContain(html(q("triage.addNote")));
    expect(page).toContain(html(q("triage.recipient.email", { address: "alex.morgan@example.com", language: "English" })));
    expect(page).toContain('name="intent" value="reply"');
    expect(page).toContain('name="intent" value="note"');
    // No form lets the sender pick who reads it.
    expect(page).not.toContain('name="visibility"');
  });

  it("a note stays internal even when a crafted request asks for the customer; the old mixed intent is refused", async () => {
    const { ref, id, revision } = await emailCase();
    const cookie = await app.signInStaff("agent");
    const note = await app.request(`/staff/concerns/${ref}`, { cookie, form: { intent: "note", visibility: "public", body: "Only for us.", revision } });
    expect(note.status).toBe(303);
    expect(note.headers.get("Location")).toBe(`/staff/concerns/${ref}?done=note`);
    expect((await messages(id)).map((m) => m.visibility)).toEqual(["internal"]);
    expect(await replyEmails(id)).toHaveLength(0);

    const current = String((await findConcernByRef(app.db, ref))!.revision);
    const mixed = await app.request(`/staff/concerns/${ref}`, { cookie, form: { intent: "message", visibility: "public", body: "Hello", revision: current } });
    expect(mixed.status).toBe(400);
    expect(await messages(id)).toHaveLength(1);

    const customer = await app.signIn("demo-customer-1");
    expect(await (await app.request(`/en/me/concerns/${ref}`, { cookie: customer })).text()).not.toContain("Only for us.");

    const reply = await app.request(`/staff/concerns/${ref}`, { cookie, form: { intent: "reply", body: "We are on it.", revision: current } });
    expect(reply.status).toBe(303);
    expect(await replyEmails(id)).toHaveLength(1);
    const staffPage = await (await app.request(`/staff/concerns/${ref}?done=reply`, { cookie })).text();
    expect(staffPage).toContain(html(q("case.done.reply")));
    expect(staffPage).toContain('data-entry="note"');
    expect(staffPage).toContain('data-entry="reply"');
    expect(staffPage).toContain(html(q("triage.entry.note")));
    expect(staffPage).toContain(html(q("triage.entry.reply")));
  });

  it("an empty note gets a translated error in its own composer and stores nothing", async () => {
    const { ref, id, revision } = await emailCase();
    const response = await app.request(`/staff/concerns/${ref}`, { cookie: await app.signInStaff("agent"), form: { intent: "note", body: "   ", revision } });
    expect(response.status).toBe(400);
    const page = await response.text();
    expect(page).toContain('href="#case-note-body"');
    expect(await messages(id)).toHaveLength(0);
  });

  it("claiming without a current AI-literacy training is refused with a translated error in the panel", async () => {
    const { ref, revision } = await emailCase();
    await createStaffUser(app.db, { email: "new.agent@nordlys.example", name: "New Agent", role: "agent", password: "new-agent-password-1" });
    const login = await app.request("/staff/login", { form: { step: "password", email: "new.agent@nordlys.example", password: "new-agent-password-1" } });
    const cookie = login.headers.get("Set-Cookie")!.split(";")[0]!;
    const claim = await app.request(`/staff/concerns/${ref}`, { cookie, form: { intent: "claim", revision } });
    expect(claim.status).toBe(409);
    expect(await claim.text()).toContain(html(q("errors.not_trained")));
    expect((await findConcernByRef(app.db, ref))!.assigneeId).toBeNull();
  });
});
