/**
 * /staff/embed-sites through the built app (needs `route("embed-sites", "routes/staff/embed-sites.tsx")`
 * in the staff block of app/routes.ts): admins only; edits drive the embed pages' frame-ancestors.
 * Also: choices saved inside the embed are recorded with method "embed".
 */
import { eq } from "drizzle-orm";
import { beforeEach, describe, expect, it } from "vitest";
import { createEmbedSite, signEmbedToken } from "../../app/domain/embed-sites.server";
import { auditLog, consentEvents, embedSites } from "../../db/schema";
import { createTestApp, type TestApp } from "../support/app";
import { rawAll } from "../support/raw-sql";
import { html, trNs } from "../support/locales";

let app: TestApp;
beforeEach(async () => {
  app = await createTestApp();
});

const signInStaff = (role: "agent" | "supervisor" | "admin") => app.signInStaff(role);

const db = () => app.db;
const snapshot = async () => ({ sites: await db().select().from(embedSites), audit: (await db().select().from(auditLog)).length });
const site = async (slug: string) => (await db().select().from(embedSites).where(eq(embedSites.slug, slug)).limit(1))[0];
const csp = async (path: string) => (await app.request(path)).headers.get("Content-Security-Policy") ?? "";

const EDIT = { intent: "update", slug: "help", name: "Nordlys Help", origins: "https://help.nordlys.example", defaultLang: "en" };

describe("/staff/embed-sites permissions (admin.manage)", () => {
  for (const role of ["agent", "supervisor"] as const) {
    it(`${role}: 403 on the page and on crafted posts; nothing changes`, async () => {
      await createEmbedSite(db(), { slug: "help", name: "Nordlys Help", origins: ["https://help.nordlys.example"], withSigningSecret: true });
      const cookie = await signInStaff(role);
      const before = await snapshot();
      expect((await app.request("/staff/embed-sites", { cookie })).status).toBe(403);
      const posts: Record<string, string>[] = [
        { intent: "create", slug: "evil", name: "Evil", origins: "https://evil.example", defaultLang: "en", signed: "on" },
        { ...EDIT, origins: "https://evil.example" },
        { intent: "disable", slug: "help" },
        { intent: "rotate", slug: "help" },
        { intent: "removeSecret", slug: "help" },
      ];
      for (const form of posts) {
        const response = await app.request("/staff/embed-sites", { cookie, form });
        expect(response.status).toBe(403);
        expect(await response.text()).not.toContain(before.sites[0]!.signingSecret!);
      }
      expect(await snapshot()).toEqual(before);
    });
  }

  it("signed out: sent to sign-in, nothing changes", async () => {
    const before = await snapshot();
    const page = await app.request("/staff/embed-sites");
    expect(page.status).toBe(302);
    expect(page.headers.get("Location")).toBe("/staff/login?next=%2Fstaff%2Fembed-sites");
    const post = await app.request("/staff/embed-sites", { form: { intent: "create", slug: "x", name: "X", origins: "https://x.example", defaultLang: "en" } });
    expect([302, 303]).toContain(post.status);
    expect(await snapshot()).toEqual(before);
  });
});

describe("/staff/embed-sites for an admin", () => {
  it("creates a site, edits its origins and theme: frame-ancestors follows; every change audited without the secret", async () => {
    const cookie = await signInStaff("admin");
    const created = await app.request("/staff/embed-sites", {
      cookie,
      form: { intent: "create", slug: "help", name: "Nordlys Help", origins: "https://help.nordlys.example\r\nhttps://support.nordlys.example:8443/", defaultLang: "fr", accentColor: "#0b5cad", logoUrl: "/brand/logo.svg", signed: "on" },
    });
    expect(created.status).toBe(200);
    const createdPage = await created.text();
    const stored = (await site("help"))!;
    expect(stored).toMatchObject({ name: "Nordlys Help", origins: ["https://help.nordlys.example", "https://support.nordlys.example:8443"], defaultLang: "fr", accentColor: "#0b5cad", logoUrl: "/brand/logo.svg", disabledAt: null });
    expect(stored.signingSecret).toMatch(/^[\w-]{40,}$/);
    expect(createdPage).toContain(stored.signingSecret!);
    expect(createdPage).toContain(html(trNs("en", "embedSites", "secret.body")));

    expect(await csp("/embed/help/en")).toContain("frame-ancestors https://help.nordlys.example https://support.nordlys.example:8443");

    const list = await (await app.request("/staff/embed-sites", { cookie })).text();
    expect(list).toContain("https://support.nordlys.example:8443");
    expect(list).toContain(html('data-site="help"'));
    expect(list).not.toContain(stored.signingSecret!);

    const edited = await app.request("/staff/embed-sites", { cookie, form: { ...EDIT, origins: "https://kb.nordlys.example", defaultLang: "de", accentColor: "#123456", logoUrl: "https://cdn.nordlys.example/logo.png" } });
    expect(edited.status).toBe(303);
    expect(edited.headers.get("Location")).toBe("/staff/embed-sites?done=updated");
    expect(await site("help")).toMatchObject({ origins: ["https://kb.nordlys.example"], defaultLang: "de", accentColor: "#123456", logoUrl: "https://cdn.nordlys.example/logo.png", signingSecret: stored.signingSecret });
    const framed = await csp("/embed/help/en");
    expect(framed).toContain("frame-ancestors https://kb.nordlys.example");
    expect(framed).not.toContain("help.nordlys.example");

    const audit = (await db().select().from(auditLog)).filter((a) => a.action.startsWith("embed_site."));
    expect(audit.map((a) => a.action)).toEqual(["embed_site.created", "embed_site.updated"]);
    for (const entry of audit) {
      expect(entry.details).not.toContain(stored.signingSecret!);
      expect(entry.details ?? "").not.toContain("nordlys.example");
    }
  });

  it("disables and enables a site, rotates and removes its secret", async () => {
    const { signingSecret } = await createEmbedSite(db(), { slug: "help", name: "Nordlys Help", origins: ["https://help.nordlys.example"], withSigningSecret: true });
    const cookie = await signInStaff("admin");

    const disabled = await app.request("/staff/embed-sites", { cookie, form: { intent: "disable", slug: "help" } });
    expect(disabled.status).toBe(303);
    expect((await app.request("/embed/help/en")).status).toBe(404);
    expect(await csp("/embed/help/en")).toContain("frame-ancestors 'none'");
    expect(await (await app.request("/staff/embed-sites?done=disabled", { cookie })).text()).toContain(html(trNs("en", "embedSites", "actions.enable")));
    expect((await app.request("/staff/embed-sites", { cookie, form: { intent: "enable", slug: "help" } })).status).toBe(303);
    expect((await app.request("/embed/help/en")).status).toBe(200);

    const rotated = await app.request("/staff/embed-sites", { cookie, form: { intent: "rotate", slug: "help" } });
    expect(rotated.status).toBe(200);
    const secret = (await site("help"))!.signingSecret!;
    expect(secret).not.toBe(signingSecret);
    expect(await rotated.text()).toContain(secret);
    // Old-secret tokens no longer open a session; new ones do.
    const old = await signEmbedToken(signingSecret!, "help", "demo-customer-2");
    expect((await app.request(`/embed/help/en/me/preferences?token=${old}`)).status).not.toBe(303);
    const fresh = await signEmbedToken(secret, "help", "demo-customer-2");
    expect((await app.request(`/embed/help/en/me/preferences?token=${fresh}`)).status).toBe(303);

    expect((await app.request("/staff/embed-sites", { cookie, form: { intent: "removeSecret", slug: "help" } })).status).toBe(303);
    expect((await site("help"))!.signingSecret).toBeNull();

    const actions = (await db().select().from(auditLog)).filter((a) => a.action.startsWith("embed_site.")).map((a) => a.action);
    expect(actions).toEqual(["embed_site.disabled", "embed_site.enabled", "embed_site.secret_rotated", "embed_site.secret_removed"]);
    for (const entry of await db().select().from(auditLog)) {
      expect(entry.details ?? "").not.toContain(secret);
      expect(entry.details ?? "").not.toContain(signingSecret!);
    }
  });

  it("bad input: 400 with a translated message, typed values kept, nothing stored", async () => {
    await createEmbedSite(db(), { slug: "help", name: "Nordlys Help", origins: ["https://help.nordlys.example"] });
    const cookie = await signInStaff("admin");
    const before = await snapshot();
    const cases: [Record<string, string>, string, string][] = [
      [{ intent: "create", slug: "kb", name: "KB", origins: "https://kb.example/path", defaultLang: "en" }, "errors.origin", "https://kb.example/path</textarea>"],
      [{ intent: "create", slug: "kb", name: "KB", origins: "https://kb.example", defaultLang: "en", accentColor: "red" }, "errors.color", 'value="KB"'],
      [{ intent: "create", slug: "kb", name: "KB", origins: "https://kb.example", defaultLang: "en", logoUrl: "http://kb.example/logo.png" }, "errors.logo", 'value="http://kb.example/logo.png"'],
      [{ intent: "create", slug: "Bad Slug", name: "KB", origins: "https://kb.example", defaultLang: "en" }, "errors.slug", 'value="Bad Slug"'],
      [{ intent: "create", slug: "help", name: "Again", origins: "https://kb.example", defaultLang: "en" }, "errors.duplicate", 'value="Again"'],
      [{ ...EDIT, origins: "javascript:alert(1)", accentColor: "#abcdef" }, "errors.origin", 'value="#abcdef"'],
      [{ ...EDIT, logoUrl: "//evil.example/x.png" }, "errors.logo", 'value="//evil.example/x.png"'],
    ];
    for (const [form, key, kept] of cases) {
      const response = await app.request("/staff/embed-sites", { cookie, form });
      expect(response.status, key).toBe(400);
      const page = await response.text();
      expect(page, key).toContain(html(trNs("en", "embedSites", key)));
      expect(page, key).toContain(kept);
    }
    const badLang = await app.request("/staff/embed-sites", { cookie, form: { ...EDIT, defaultLang: "xx" } });
    expect(badLang.status).toBe(400);
    for (const form of [{ intent: "disable", slug: "../x" }, { intent: "explode", slug: "help" }] as Record<string, string>[]) {
      expect((await app.request("/staff/embed-sites", { cookie, form })).status).toBe(400);
    }
    expect((await app.request("/staff/embed-sites", { cookie, form: { intent: "rotate", slug: "nope" } })).status).toBe(404);
    expect((await app.request("/staff/embed-sites", { cookie, form: { ...EDIT, slug: "nope" } })).status).toBe(404);
    expect(await snapshot()).toEqual(before);
  });
});

describe("choices saved inside the embed", () => {
  it("are recorded with method \"embed\"; in the portal they stay \"portal\"", async () => {
    const { signingSecret } = await createEmbedSite(db(), { slug: "help", name: "Nordlys Help", origins: ["https://help.nordlys.example"], withSigningSecret: true });
    const rows = (await rawAll(app.services.database, "select key, notice_version as v from choice_definitions")) as { key: string; v: number }[];
    const shown = rows.map((r) => `${r.key}:${r.v}`).join(",");
    const token = await signEmbedToken(signingSecret!, "help", "demo-customer-2");
    const opened = await app.request(`/embed/help/en/me/preferences?token=${token}`);
    expect(opened.status).toBe(303);
    const location = opened.headers.get("Location")!;
    const before = (await db().select().from(consentEvents)).length;
    const saved = await app.request(location, { form: { shown, disclose_account_information: "ask", "identity-verification": "yes", "plan-changes": "ask", "billing-arrangements": "ask", troubleshooting: "ask", "proactive-outreach": "ask", orders: "ask", training: "no", "human-first": "yes" }, headers: { "Sec-Fetch-Site": "same-origin" } });
    expect(saved.status).toBe(303);
    const events = (await db().select().from(consentEvents)).slice(before);
    expect(events.length).toBeGreaterThan(0);
    expect(new Set(events.map((e) => e.method))).toEqual(new Set(["embed"]));
  });
});
