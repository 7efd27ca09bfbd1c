import { beforeEach, describe, expect, it } from "vitest";
import { createTestApp, type TestApp } from "../support/app";
import { rawAll, rawColumn, rawGet, rawRun, rawValue } from "../support/raw-sql";
import { html, trNs } from "../support/locales";

let app: TestApp;
beforeEach(async () => {
  app = await createTestApp();
});

const PASSWORDS = {
  admin: "demo-admin-password",
  supervisor: "demo-supervisor-password",
  agent: "demo-agent-password",
} as const;

async function staffLogin(email: string, password: string, ip?: string): Promise<Response> {
  return app.request("/staff/login", { form: { step: "password", email, password }, ip });
}

async function signInAs(role: keyof typeof PASSWORDS): Promise<string> {
  const response = await staffLogin(`${role}@nordlys.example`, PASSWORDS[role]);
  expect(response.status).toBe(303);
  return response.headers.get("Set-Cookie")!.split(";")[0]!;
}

const staffId = async (email: string) => (await rawValue(app.services.database, "select id from staff_users where email = ?", email)) as number;
const snapshot = async () => ({
  staff: (await rawAll(app.services.database, "select id, email, role, disabled_at, password_hash from staff_users order by id")),
  openSessions: (await rawValue(app.services.database, "select count(*) from staff_sessions where revoked_at is null")),
  audit: (await rawValue(app.services.database, "select count(*) from audit_log")),
});

describe("staff users: permissions (SPEC §4, §9)", () => {
  it.each(["agent", "supervisor"] as const)("a %s gets 403 on the page and on crafted posts, and nothing changes", async (role) => {
    const cookie = await signInAs(role);
    const adminId = (await staffId("admin@nordlys.example"));
    const agentId = (await staffId("agent@nordlys.example"));
    expect((await app.request("/staff/users", { cookie })).status).toBe(403);
    const before = (await snapshot());
    const posts: Record<string, string>[] = [
      { intent: "create", name: "Mallory", email: "mallory@example.com", role: "admin" },
      { intent: "role", staffId: String((await staffId(`${role}@nordlys.example`))), role: "admin" },
      { intent: "role", staffId: String(agentId), role: "admin" },
      { intent: "disable", staffId: String(adminId) },
      { intent: "enable", staffId: String(adminId) },
    ];
    for (const form of posts) {
      const response = await app.request("/staff/users", { cookie, form });
      expect(response.status, JSON.stringify(form)).toBe(403);
    }
    expect((await snapshot())).toEqual(before);
    expect((await rawValue(app.services.database, "select count(*) from staff_users where email = 'mallory@example.com'"))).toBe(0);
  });

  it("without a session, a post is sent to sign-in and changes nothing", async () => {
    const before = (await snapshot());
    const response = await app.request("/staff/users", { form: { intent: "disable", staffId: String((await staffId("agent@nordlys.example"))) } });
    expect(response.status).toBe(302);
    expect(response.headers.get("Location")).toMatch(/^\/staff\/login\?next=/);
    expect((await snapshot())).toEqual(before);
  });
});

describe("staff users: admin", () => {
  it("lists staff with role, two-step sign-in and last sign-in", async () => {
    const cookie = await signInAs("admin");
    const response = await app.request("/staff/users", { cookie });
    expect(response.status).toBe(200);
    const page = await response.text();
    expect(page).toContain(html(trNs("en", "admin", "users.title")));
    for (const email of ["admin@nordlys.example", "supervisor@nordlys.example", "agent@nordlys.example"]) expect(page).toContain(email);
    expect(page).toContain(html(trNs("en", "admin", "users.you")));
    expect(page).toContain(html(trNs("en", "admin", "users.never")));
    expect(page).not.toContain("$argon2id$");
  });

  it("creates an account and shows its generated password once; it works for sign-in and is stored hashed", async () => {
    const cookie = await signInAs("admin");
    const response = await app.request("/staff/users", { cookie, form: { intent: "create", name: "Robin Reviewer", email: "Robin@Example.com", role: "supervisor" } });
    expect(response.status).toBe(200);
    const page = await response.text();
    expect(page).toContain(html(trNs("en", "admin", "users.createdTitle", { name: "Robin Reviewer" })));
    const password = /<code class="tracking-url admin-password">([^<]+)<\/code>/.exec(page)?.[1];
    expect(password).toBeTruthy();
    const row = (await rawGet(app.services.database, "select role, password_hash from staff_users where email = 'robin@example.com'")) as { role: string; password_hash: string };
    expect(row.role).toBe("supervisor");
    expect(row.password_hash).not.toContain(password!);
    const audit = (await rawGet(app.services.database, "select * from audit_log order by id desc limit 1")) as Record<string, string>;
    expect(audit).toMatchObject({ action: "staff.created", actor_type: "staff", actor_id: String((await staffId("admin@nordlys.example"))), details: '{"role":"supervisor"}' });
    expect(JSON.stringify(audit)).not.toMatch(/robin/i);
    // The list afterwards does not show it again.
    expect(await (await app.request("/staff/users", { cookie })).text()).not.toContain(password!);
    expect((await staffLogin("robin@example.com", password!)).status).toBe(303);
  });

  it("bad input: 400, translated errors, what was typed kept, nothing stored", async () => {
    const cookie = await signInAs("admin");
    const before = (await snapshot());
    const response = await app.request("/staff/users", { cookie, form: { intent: "create", name: "Kim Typed", email: "not-an-email", role: "owner" }, headers: { "Accept-Language": "de" } });
    expect(response.status).toBe(400);
    const page = await response.text();
    expect(page).toContain(html(trNs("en", "common", "errors.email")));
    expect(page).toContain(html(trNs("en", "common", "errors.chooseOne")));
    expect(page).toContain('value="Kim Typed"');
    expect(page).toContain('value="not-an-email"');
    expect((await snapshot())).toEqual(before);

    const taken = await app.request("/staff/users", { cookie, form: { intent: "create", name: "Twin", email: "agent@nordlys.example", role: "agent" } });
    expect(taken.status).toBe(400);
    expect(await taken.text()).toContain(html(trNs("en", "admin", "errors.email_taken")));

    const tooLong = await app.request("/staff/users", { cookie, form: { intent: "create", name: "x".repeat(101), email: "long@example.com", role: "agent" } });
    expect(tooLong.status).toBe(400);
    const longest = await app.request("/staff/users", { cookie, form: { intent: "create", name: "x".repeat(100), email: "long@example.com", role: "agent" } });
    expect(longest.status).toBe(200);

    const bad: Record<string, string>[] = [{ intent: "role", staffId: "abc", role: "admin" }, { intent: "disable", staffId: "-1" }, { intent: "explode" }, {}];
    for (const form of bad) {
      expect((await app.request("/staff/users", { cookie, form })).status, JSON.stringify(form)).toBe(400);
    }
    const gone = await app.request("/staff/users", { cookie, form: { intent: "disable", staffId: "999999" } });
    expect(gone.status).toBe(404);
    expect(await gone.text()).toContain(html(trNs("en", "admin", "errors.not_found")));
  });

  it("refuses to disable or demote yourself (409, translated, nothing written)", async () => {
    const cookie = await signInAs("admin");
    const adminId = String((await staffId("admin@nordlys.example")));
    const before = (await snapshot());
    const disable = await app.request("/staff/users", { cookie, form: { intent: "disable", staffId: adminId } });
    expect(disable.status).toBe(409);
    expect(await disable.text()).toContain(html(trNs("en", "admin", "errors.self_disable")));
    const demote = await app.request("/staff/users", { cookie, form: { intent: "role", staffId: adminId, role: "agent" } });
    expect(demote.status).toBe(409);
    expect(await demote.text()).toContain(html(trNs("en", "admin", "errors.self_demote")));
    expect((await snapshot())).toEqual(before);
    expect((await app.request("/staff/users", { cookie })).status).toBe(200);
  });

  it("disabling a user ends their current session at once and blocks sign-in; re-enabling lets them back", async () => {
    const agentCookie = await signInAs("agent");
    expect((await app.request("/staff/account", { cookie: agentCookie })).status).toBe(200);
    const adminCookie = await signInAs("admin");
    const agentId = String((await staffId("agent@nordlys.example")));
    const disabled = await app.request("/staff/users", { cookie: adminCookie, form: { intent: "disable", staffId: agentId } });
    expect(disabled.status).toBe(303);
    expect(disabled.headers.get("Location")).toBe("/staff/users?done=disabled");

    const next = await app.request("/staff/account", { cookie: agentCookie });
    expect(next.status).toBe(302);
    expect(next.headers.get("Location")).toMatch(/^\/staff\/login\?next=/);
    expect((await rawValue(app.services.database, "select count(*) from staff_sessions where staff_id = ? and revoked_at is null", agentId))).toBe(0);
    expect((await staffLogin("agent@nordlys.example", PASSWORDS.agent)).status).toBe(401);

    const list = await (await app.request("/staff/users?done=disabled", { cookie: adminCookie })).text();
    expect(list).toContain(html(trNs("en", "admin", "users.done.disabled")));
    const audit = (await rawGet(app.services.database, "select action, target_id, details from audit_log order by id desc limit 1"));
    expect(audit).toEqual({ action: "staff.disabled", target_id: agentId, details: '{"sessionsEnded":1}' });

    expect((await app.request("/staff/users", { cookie: adminCookie, form: { intent: "enable", staffId: agentId } })).headers.get("Location")).toBe("/staff/users?done=enabled");
    expect((await staffLogin("agent@nordlys.example", PASSWORDS.agent)).status).toBe(303);
  });

  it("a role change takes effect on the user's next request", async () => {
    const supervisorCookie = await signInAs("supervisor");
    const agentCookie = await signInAs("agent");
    expect((await app.request("/staff/audit", { cookie: supervisorCookie })).status).toBe(200);
    expect((await app.request("/staff/audit", { cookie: agentCookie })).status).toBe(403);
    const adminCookie = await signInAs("admin");
    const supervisorId = String((await staffId("supervisor@nordlys.example")));
    const agentId = String((await staffId("agent@nordlys.example")));
    expect((await app.request("/staff/users", { cookie: adminCookie, form: { intent: "role", staffId: supervisorId, role: "agent" } })).status).toBe(303);
    expect((await app.request("/staff/users", { cookie: adminCookie, form: { intent: "role", staffId: agentId, role: "admin" } })).status).toBe(303);
    expect((await app.request("/staff/audit", { cookie: supervisorCookie })).status).toBe(403);
    expect((await app.request("/staff/users", { cookie: agentCookie })).status).toBe(200);
    const audit = (await rawColumn(app.services.database, "select details from audit_log where action = 'staff.role_changed' order by id"));
    expect(audit).toEqual(['{"from":"supervisor","to":"agent"}', '{"from":"agent","to":"admin"}']);
  });
});

describe("audit log page", () => {
  it("an agent gets 403 on the page and on verify", async () => {
    const cookie = await signInAs("agent");
    expect((await app.request("/staff/audit", { cookie })).status).toBe(403);
    expect((await app.request("/staff/audit", { cookie, form: { intent: "verify" } })).status).toBe(403);
  });

  it("shows entries newest first with actor names and translated actions, filtered by the URL", async () => {
    await signInAs("agent");
    const cookie = await signInAs("supervisor");
    const page = await (await app.request("/staff/audit", { cookie })).text();
    expect(page).toContain(html(trNs("en", "admin", "audit.title")));
    expect(page).toContain("Sam Supervisor");
    expect(page).toContain(html(trNs("en", "admin", "actions.staff.login")));
    const rows = [...page.matchAll(/<tr id="audit-(\d+)"/g)].map((m) => Number(m[1]));
    expect(rows.length).toBeGreaterThan(2);
    expect(rows).toEqual([...rows].sort((a, b) => b - a));

    const agentId = (await staffId("agent@nordlys.example"));
    const byAgent = await (await app.request(`/staff/audit?actor=staff:${agentId}&action=staff.login`, { cookie })).text();
    const agentRows = [...byAgent.matchAll(/<tr id="audit-(\d+)"/g)];
    expect(agentRows).toHaveLength(1);
    expect(byAgent).toContain("Alex Agent");
    expect(byAgent).not.toContain("<td>Sam Supervisor</td>");
    const system = await (await app.request("/staff/audit?actor=system&action=staff.created", { cookie })).text();
    const seeded = (await rawValue(app.services.database, "select count(*) from audit_log where actor_type = 'system' and action = 'staff.created'"));
    expect(seeded).toBeGreaterThanOrEqual(3);
    expect([...system.matchAll(/<tr id="audit-(\d+)"/g)]).toHaveLength(seeded as number);
    expect(system).toContain(html(trNs("en", "admin", "audit.detail", { key: "role", value: "admin" })));
    // Malformed filters are ignored, never a 500.
    expect((await app.request("/staff/audit?actor=%27;drop&action=%25%25&page=zz", { cookie })).status).toBe(200);
  });

  it("verify reports OK on the demo data and the edited entry after tampering", async () => {
    const cookie = await signInAs("supervisor");
    const count = (await rawValue(app.services.database, "select count(*) from audit_log")) as number;
    const head = (await rawValue(app.services.database, "select hash from audit_log order by id desc limit 1")) as string;
    const ok = await app.request("/staff/audit", { cookie, form: { intent: "verify" } });
    expect(ok.status).toBe(200);
    const okPage = await ok.text();
    expect(okPage).toContain(html(trNs("en", "admin", "audit.verifyOk")));
    expect(okPage).toContain(html(trNs("en", "admin", "audit.verifyOkBody_other", { entries: String(count), head })));

    const target = (await rawValue(app.services.database, "select min(id) + 1 from audit_log")) as number;
    (await rawRun(app.services.database, "update audit_log set details = '{\"role\":\"admin\"}' where id = ?", target));
    const broken = await (await app.request("/staff/audit", { cookie, form: { intent: "verify" } })).text();
    expect(broken).toContain(html(trNs("en", "admin", "audit.verifyFailed")));
    expect(broken).toContain(html(trNs("en", "admin", "audit.problems.edited", { id: target })));
    expect(broken).not.toContain(html(trNs("en", "admin", "audit.verifyOk")));
  });

  it("verify speaks the staff member's language", async () => {
    const cookie = await signInAs("supervisor");
    await app.request("/staff/account", { cookie, form: { intent: "language", locale: "de" } });
    const page = await (await app.request("/staff/audit", { cookie, form: { intent: "verify" } })).text();
    expect(page).toContain(html(trNs("de", "admin", "audit.verifyOk")));
    expect(page).toContain(html(trNs("de", "admin", "audit.title")));
  });
});
