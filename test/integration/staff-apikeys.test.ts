/**
 * /staff/api-keys through the built app (needs `route("api-keys", "routes/staff/api-keys.tsx")`
 * in the staff block of app/routes.ts): admins only; a key is shown once, stored as a hash,
 * revocable (audited); crafted posts from lower roles change nothing. Keys are resolved through the
 * app's own cache (`services.apiKeys`, the one the lean API reads): the page tells it at once.
 */
import { and, eq, ne } from "drizzle-orm";
import { beforeEach, describe, expect, it } from "vitest";
import { createApiKey, hashApiKey, resolveApiKey } from "../../app/domain/api-keys.server";
import { apiKeys, auditLog, staffUsers } from "../../db/schema";
import { DEMO_AGENTS_KEY_NAME } from "../../db/seed-permission";
import { createTestApp, type TestApp } from "../support/app";
import { html, trNs } from "../support/locales";

let app: TestApp;
beforeEach(async () => {
  app = await createTestApp();
});

const signInStaff = (role: "agent" | "supervisor" | "admin") => app.signInStaff(role);

const db = () => app.db;
/** A key as the app's lean API sees it: through the composition root's cache. */
const resolve = (key: string) => resolveApiKey(app.services.db, app.services.apiKeys, key);
const snapshot = async () => ({ keys: await db().select().from(apiKeys), audit: (await db().select().from(auditLog)).length });
/** The key the test created (the demo seed has one of its own). */
const onlyKey = async () => (await db().select().from(apiKeys).where(ne(apiKeys.name, DEMO_AGENTS_KEY_NAME)).limit(1))[0]!;
const form = (entries: [string, string][]) => new URLSearchParams(entries);

describe("/staff/api-keys", () => {
  it("agents and supervisors get 403 on the page and on crafted posts; nothing changes", async () => {
    const existing = await createApiKey(db(), { name: "crm", scopes: ["decisions"] });
    const cookies = { agent: await signInStaff("agent"), supervisor: await signInStaff("supervisor") };
    const before = await snapshot(); // after signing in (sign-ins are audited)
    for (const cookie of Object.values(cookies)) {
      expect((await app.request("/staff/api-keys", { cookie })).status).toBe(403);
      const create = await app.request("/staff/api-keys", { cookie, form: form([["intent", "create"], ["name", "evil"], ["scopes", "customers"]]) });
      expect(create.status).toBe(403);
      expect(await create.text()).not.toContain("cnd_");
      const revoke = await app.request("/staff/api-keys", { cookie, form: { intent: "revoke", keyId: String(existing.id), confirm: "yes" } });
      expect(revoke.status).toBe(403);
    }
    expect(await snapshot()).toEqual(before);
    expect(await resolve(existing.key)).toBeDefined();
  });

  it("an admin creates a key shown once and stored only as a hash, sees it listed, then revokes it (audited)", async () => {
    const cookie = await signInStaff("admin");
    expect(await resolve("cnd_" + "B".repeat(43))).toBeUndefined(); // the cache holds a copy of the (empty) table now
    const empty = await app.request("/staff/api-keys", { cookie });
    expect(empty.status).toBe(200);
    expect(await empty.text()).toContain(html(trNs("en", "apikeys", "title")));

    const created = await app.request("/staff/api-keys", { cookie, form: form([["intent", "create"], ["name", "CRM connector"], ["scopes", "decisions"], ["scopes", "concerns"]]) });
    expect(created.status).toBe(200);
    const page = await created.text();
    expect(page).toContain(html(trNs("en", "apikeys", "created.title")));
    const key = /cnd_[A-Za-z0-9_-]{43}/.exec(page)?.[0];
    expect(key).toBeDefined();

    const row = await onlyKey();
    expect(row.name).toBe("CRM connector");
    expect(row.scopes).toEqual(["decisions", "concerns"]);
    expect(row.keyHash).toBe(hashApiKey(key!));
    expect(JSON.stringify(row)).not.toContain(key!);
    expect(key!.startsWith(row.prefix)).toBe(true);
    const found = await resolve(key!); // the page invalidated the cache: known at once
    expect(found?.id).toBe(row.id);
    expect([...found!.scopes].sort()).toEqual(["concerns", "decisions"]);

    const createdAudit = await db().select().from(auditLog).where(and(eq(auditLog.action, "api_key.created"), eq(auditLog.targetId, String(row.id))));
    const [admin] = await db().select().from(staffUsers).where(eq(staffUsers.email, "admin@nordlys.example")).limit(1);
    expect(createdAudit).toHaveLength(1);
    expect(createdAudit[0]).toMatchObject({ actorType: "staff", actorId: String(admin!.id), targetId: String(row.id) });

    // Listed with its prefix, never the key again.
    const list = await (await app.request("/staff/api-keys", { cookie })).text();
    expect(list).toContain(row.prefix);
    expect(list).toContain("CRM connector");
    expect(list).not.toContain(key!);
    expect(list).toContain(html(trNs("en", "apikeys", "list.never")));

    // Without the confirmation: 400, nothing revoked.
    const unconfirmed = await app.request("/staff/api-keys", { cookie, form: { intent: "revoke", keyId: String(row.id) } });
    expect(unconfirmed.status).toBe(400);
    expect(await unconfirmed.text()).toContain(html(trNs("en", "apikeys", "errors.confirm")));
    expect((await onlyKey()).revokedAt).toBeNull();
    expect(await resolve(key!)).toBeDefined(); // cached as active

    const revoked = await app.request("/staff/api-keys", { cookie, form: { intent: "revoke", keyId: String(row.id), confirm: "yes" } });
    expect(revoked.status).toBe(303);
    expect(revoked.headers.get("Location")).toBe("/staff/api-keys?done=revoked");
    expect((await onlyKey()).revokedAt).not.toBeNull();
    expect(await resolve(key!)).toBeUndefined(); // refused at once, not after the cache's maxAgeMs
    const revokedAudit = await db().select().from(auditLog).where(and(eq(auditLog.action, "api_key.revoked"), eq(auditLog.targetId, String(row.id))));
    expect(revokedAudit).toHaveLength(1);
    expect(revokedAudit[0]).toMatchObject({ actorType: "staff", actorId: String(admin!.id), targetId: String(row.id) });
    const done = await (await app.request("/staff/api-keys?done=revoked", { cookie })).text();
    expect(done).toContain(html(trNs("en", "apikeys", "done.revoked")));

    const again = await app.request("/staff/api-keys", { cookie, form: { intent: "revoke", keyId: String(row.id), confirm: "yes" } });
    expect(again.status).toBe(409);
    const missing = await app.request("/staff/api-keys", { cookie, form: { intent: "revoke", keyId: "99999", confirm: "yes" } });
    expect(missing.status).toBe(404);
  });

  it("bad input: 400 with translated errors, the name kept, nothing stored", async () => {
    const cookie = await signInStaff("admin");
    const before = await snapshot();
    const noScopes = await app.request("/staff/api-keys", { cookie, form: { intent: "create", name: "Billing bridge" }, headers: { "Accept-Language": "fr" } });
    expect(noScopes.status).toBe(400);
    const page = await noScopes.text();
    expect(page).toContain('value="Billing bridge"');
    const badScope = await app.request("/staff/api-keys", { cookie, form: form([["intent", "create"], ["name", "x"], ["scopes", "admin"]]) });
    expect(badScope.status).toBe(400);
    expect(await badScope.text()).toContain(html(trNs("en", "apikeys", "errors.scopes")));
    const noName = await app.request("/staff/api-keys", { cookie, form: form([["intent", "create"], ["name", "  "], ["scopes", "links"]]) });
    expect(noName.status).toBe(400);
    const longName = await app.request("/staff/api-keys", { cookie, form: form([["intent", "create"], ["name", "n".repeat(101)], ["scopes", "links"]]) });
    expect(longName.status).toBe(400);
    const badId = await app.request("/staff/api-keys", { cookie, form: { intent: "revoke", keyId: "abc", confirm: "yes" } });
    expect(badId.status).toBe(400);
    expect(await snapshot()).toEqual(before);
  });
});
