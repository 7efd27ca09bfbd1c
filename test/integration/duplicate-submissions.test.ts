import { eq } from "drizzle-orm";
import { beforeEach, describe, expect, it } from "vitest";
import { findConcernByRef } from "../../app/domain/concerns/index.server";
import { apiKeys, cannedReplies, concernMessages, concerns, staffUsers, webhookEndpoints } from "../../db/schema";
import { createTestApp, type TestApp } from "../support/app";
import { concernFor } from "../support/factories";

let app: TestApp;
beforeEach(async () => {
  app = await createTestApp();
});

const concernForm = {
  kind: "unwanted_action",
  description: "The assistant cancelled my order without asking me.",
  desiredOutcome: "",
  contactMethod: "portal",
  email: "",
  interaction: "",
  system: "",
  website: "",
};
const concernCount = async () => (await app.db.select().from(concerns)).length;
const messagesOf = async (ref: string) =>
  app.db.select().from(concernMessages).where(eq(concernMessages.concernId, (await findConcernByRef(app.db, ref))!.id));

/** A concern of demo-customer-1, filed directly (not through the form under test). */
async function existingConcern(): Promise<string> {
  return (
    await concernFor(app.db, {
      description: "An earlier question about my data.",
    })
  ).ref;
}

describe("identical submissions within 10 s are one submission (issue 7 item 16)", () => {
  it("two identical concern POSTs 0 ms apart create one concern and lead to the same page", async () => {
    const cookie = await app.signIn("demo-customer-1");
    const before = await concernCount();
    const [first, second] = await Promise.all([
      app.request("/en/me/concerns/new", { cookie, form: concernForm }),
      app.request("/en/me/concerns/new", { cookie, form: { ...concernForm, description: `  ${concernForm.description.replace(" ", "   ")} ` } }),
    ]);
    expect([first.status, second.status]).toEqual([303, 303]);
    expect(second.headers.get("Location")).toBe(first.headers.get("Location"));
    expect(await concernCount()).toBe(before + 1);
  });

  it("two different concerns, or the same text from two customers, create two", async () => {
    const cookie = await app.signIn("demo-customer-1");
    const other = await app.signIn("demo-customer-2");
    const before = await concernCount();
    const responses = await Promise.all([
      app.request("/en/me/concerns/new", { cookie, form: concernForm }),
      app.request("/en/me/concerns/new", { cookie, form: { ...concernForm, description: "A different concern about a different thing." } }),
      app.request("/en/me/concerns/new", { cookie: other, form: concernForm }),
    ]);
    expect(responses.map((r) => r.status)).toEqual([303, 303, 303]);
    expect(new Set(responses.map((r) => r.headers.get("Location"))).size).toBe(3);
    expect(await concernCount()).toBe(before + 3);
  });

  it("an anonymous double submit gets the same tracking link, not a second concern", async () => {
    const form = { ...concernForm, contactMethod: "email", email: "visitor@example.com" };
    const before = await concernCount();
    const [first, second] = await Promise.all([
      app.request("/fr/me/concerns/new", { form, ip: "192.0.2.7" }),
      app.request("/fr/me/concerns/new", { form, ip: "192.0.2.7" }),
    ]);
    expect(first.headers.get("Location")).toMatch(/^\/fr\/concerns\/track\/[A-Za-z0-9_-]{43}\?new=1$/);
    expect(second.headers.get("Location")).toBe(first.headers.get("Location"));
    expect(await concernCount()).toBe(before + 1);
  });

  it("two identical replies 0 ms apart create one message; a different reply is a second one", async () => {
    const cookie = await app.signIn("demo-customer-1");
    const ref = await existingConcern();
    const reply = { intent: "reply", body: "Here is the order number: 4711." };
    const responses = await Promise.all([
      app.request(`/en/me/concerns/${ref}`, { cookie, form: reply }),
      app.request(`/en/me/concerns/${ref}`, { cookie, form: reply }),
    ]);
    expect(responses.map((r) => r.status)).toEqual([303, 303]);
    expect((await messagesOf(ref)).map((m) => m.body)).toEqual([reply.body]);
    await app.request(`/en/me/concerns/${ref}`, { cookie, form: { intent: "reply", body: "And the date was 3 May." } });
    expect((await messagesOf(ref)).map((m) => m.body)).toEqual([reply.body, "And the date was 3 May."]);
  });

  it("a staff reply sent twice is posted once (no stale-revision error either)", async () => {
    const cookie = await app.signInStaff("agent");
    const ref = await existingConcern();
    const revision = String((await findConcernByRef(app.db, ref))!.revision);
    const form = { intent: "reply", body: "We are looking into it.", revision };
    const responses = await Promise.all([
      app.request(`/staff/concerns/${ref}`, { cookie, form }),
      app.request(`/staff/concerns/${ref}`, { cookie, form }),
    ]);
    expect(responses.map((r) => r.status)).toEqual([303, 303]);
    expect((await messagesOf(ref)).filter((m) => m.author === "staff")).toHaveLength(1);
  });

  it("admin creations (API key, webhook, canned reply) sent twice create one row and show the same result", async () => {
    const admin = await app.signInStaff("admin");
    const count = async () => ({
      keys: (await app.db.select().from(apiKeys)).length,
      hooks: (await app.db.select().from(webhookEndpoints)).length,
      canned: (await app.db.select().from(cannedReplies)).length,
    });
    const before = await count();
    const key = new URLSearchParams([["intent", "create"], ["name", "CRM agent"], ["scopes", "links"], ["scopes", "decisions"]]);
    const [k1, k2] = await Promise.all([app.request("/staff/api-keys", { cookie: admin, form: key }), app.request("/staff/api-keys", { cookie: admin, form: key })]);
    expect([k1.status, k2.status]).toEqual([200, 200]);
    const secret = /cnd_[A-Za-z0-9_-]{40,}/.exec(await k1.text())?.[0];
    expect(secret).toBeTruthy();
    expect(await k2.text()).toContain(secret);

    const hook = new URLSearchParams([["intent", "create"], ["url", "https://hooks.example.com/candor"], ["events", "concern.created"]]);
    await Promise.all([app.request("/staff/webhooks", { cookie: admin, form: hook }), app.request("/staff/webhooks", { cookie: admin, form: hook })]);
    const canned = { key: "double-click", lang: "en", title: "Thanks", body: "Thank you for your patience." };
    const [c1, c2] = await Promise.all([
      app.request("/staff/canned-replies", { cookie: admin, form: canned }),
      app.request("/staff/canned-replies", { cookie: admin, form: canned }),
    ]);
    expect([c1.status, c2.status]).toEqual([303, 303]);
    expect(await count()).toEqual({ keys: before.keys + 1, hooks: before.hooks + 1, canned: before.canned + 1 });
  });

  it("a staff account sent twice is created once, and both answers show the same one-time password", async () => {
    const admin = await app.signInStaff("admin");
    const before = (await app.db.select().from(staffUsers)).length;
    const form = { intent: "create", name: "Robin Reviewer", email: "robin@nordlys.example", role: "agent" };
    const [a, b] = await Promise.all([app.request("/staff/users", { cookie: admin, form }), app.request("/staff/users", { cookie: admin, form })]);
    expect([a.status, b.status]).toEqual([200, 200]);
    const passwordIn = (page: string) => /<code[^>]*>([^<]{12,})<\/code>/.exec(page)?.[1];
    const [first, second] = [passwordIn(await a.text()), passwordIn(await b.text())];
    expect(first).toBeTruthy();
    expect(second).toBe(first);
    expect((await app.db.select().from(staffUsers)).length).toBe(before + 1);
  });
});
