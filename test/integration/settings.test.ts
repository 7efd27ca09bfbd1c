/**
 * /staff/settings and what it drives (SPEC §12 "Company settings"): admins only (crafted requests
 * by other roles change nothing), every change audited with its old and new value, bad input
 * refused with a translated message and what was typed kept, the logo (checked by its bytes,
 * served with its type, cacheable, shown in the portal and the embed, removable), the default
 * choices, SLA hours per priority, and the authorities named in every outcome.
 */
import { and, desc, eq, like } from "drizzle-orm";
import { beforeEach, describe, expect, it } from "vitest";
import { findConcernByRef, reopenConcern, setConcernStatus } from "../../app/domain/concerns/index.server";
import { slaDueAtFor } from "../../app/domain/concerns/state.server";
import { createEmbedSite, signEmbedToken } from "../../app/domain/embed-sites.server";
import { getPreferences } from "../../app/domain/preferences.server";
import { upsertCustomer } from "../../app/domain/customers.server";
import { getSetting, LOGO_MAX_BYTES, LogoError, saveSettings, setCompanyLogo } from "../../app/domain/settings.server";
import { auditLog, choiceDefinitions, outboxEmails, settings } from "../../db/schema";
import { createTestApp, ORIGIN, type TestApp } from "../support/app";
import { concernFor } from "../support/factories";
import { html, tr, trNs } from "../support/locales";
import { startServer } from "../support/server";
import { DEMO_STAFF } from "../../db/seed";

let app: TestApp;
beforeEach(async () => {
  app = await createTestApp();
});

const HOUR = 3_600_000;
const db = () => app.db;
const snapshot = async () => ({
  settings: await db().select().from(settings),
  defaults: await db().select({ key: choiceDefinitions.key, value: choiceDefinitions.defaultValue }).from(choiceDefinitions),
  audit: (await db().select().from(auditLog)).length,
});
const auditOf = async (action: string) =>
  (await db().select().from(auditLog).where(eq(auditLog.action, action)).orderBy(desc(auditLog.id))).map((e) => ({ ...e, details: JSON.parse(e.details) as Record<string, unknown> }));

/** A 1×1 PNG (valid signature and chunks). */
const PNG = Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==", "base64");
const SVG = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><rect width="1" height="1"/></svg>');

/** A multipart body with one file field (the browser's upload), as bytes. */
function multipart(fields: Record<string, string>, file: { name: string; filename: string; type: string; bytes: Buffer }) {
  const boundary = "----candor-test-boundary";
  const parts: Buffer[] = [];
  for (const [name, value] of Object.entries(fields)) parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`));
  parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${file.name}"; filename="${file.filename}"\r\nContent-Type: ${file.type}\r\n\r\n`), file.bytes, Buffer.from(`\r\n--${boundary}--\r\n`));
  return { body: Buffer.concat(parts), contentType: `multipart/form-data; boundary=${boundary}` };
}
async function upload(cookie: string, file: { filename: string; type: string; bytes: Buffer }) {
  const { body, contentType } = multipart({ intent: "logo" }, { name: "logo", ...file });
  // The test app's request takes a string body; the bytes go through unchanged as a BodyInit.
  return app.request("/staff/settings", { cookie, body: body as unknown as string, method: "POST", headers: { "Content-Type": contentType, Origin: ORIGIN } });
}

/** Every field of the settings form as the page fills it, with `changes`. */
async function settingsForm(cookie: string, changes: Record<string, string>) {
  const page = await (await app.request("/staff/settings", { cookie })).text();
  const form = page.slice(page.indexOf('id="settings"'), page.indexOf("</form>", page.indexOf('id="settings"')));
  const values: Record<string, string> = { intent: "settings" };
  for (const match of form.matchAll(/<input([^>]*)>/g)) {
    const attrs = match[1]!;
    const name = /name="([^"]+)"/.exec(attrs)?.[1];
    if (!name || name === "intent") continue;
    if (/type="checkbox"/.test(attrs)) {
      if (/checked/.test(attrs)) values[name] = "on";
      continue;
    }
    values[name] = (/value="([^"]*)"/.exec(attrs)?.[1] ?? "").replaceAll("&amp;", "&").replaceAll("&#x27;", "'").replaceAll("&quot;", '"');
  }
  return { ...values, ...changes };
}

describe("/staff/settings permissions (settings.manage: admins)", () => {
  for (const role of ["agent", "supervisor"] as const) {
    it(`${role}: 403 on the page, on crafted posts, on crafted uploads; nothing changes`, async () => {
      const cookie = await app.signInStaff(role);
      const before = await snapshot();
      expect((await app.request("/staff/settings", { cookie })).status).toBe(403);
      const posts: Record<string, string>[] = [
        { intent: "settings", companyName: "Evil Corp" },
        { intent: "removeLogo" },
        { intent: "defaults", default_orders: "allow" },
      ];
      for (const form of posts) expect((await app.request("/staff/settings", { cookie, form })).status).toBe(403);
      expect((await upload(cookie, { filename: "logo.png", type: "image/png", bytes: PNG })).status).toBe(403);
      expect(await snapshot()).toEqual(before);
    });
  }

  it("signed out: sent to sign-in; a crafted post changes nothing", async () => {
    const before = await snapshot();
    const page = await app.request("/staff/settings");
    expect(page.status).toBe(302);
    expect(page.headers.get("Location")).toBe("/staff/login?next=%2Fstaff%2Fsettings");
    const post = await app.request("/staff/settings", { form: { intent: "settings", companyName: "Evil Corp" } });
    expect([302, 303]).toContain(post.status);
    expect(await snapshot()).toEqual(before);
  });
});

describe("/staff/settings for an admin", () => {
  it("saves company, authorities, SLA per priority and periods; each change audited with old and new value; a repeat changes nothing", async () => {
    const cookie = await app.signInStaff("admin");
    const oldName = await getSetting(db(), "companyName");
    const auditBefore = (await db().select().from(auditLog)).length;
    const form = await settingsForm(cookie, {
      companyName: "Nordlys Energi",
      dpaName: "Datatilsynet",
      dpaUrl: "https://www.datatilsynet.no/",
      dpaName_fr: "Autorité norvégienne de protection des données",
      msaName: "Nkom",
      msaUrl: "https://www.nkom.no/",
      sla_urgent_first: "4",
      sla_urgent_resolution: "48",
      sla_normal_first: "24",
      retentionClosedConcernMonths: "36",
    });
    delete (form as Record<string, string>).requireTraining;
    const saved = await app.request("/staff/settings", { cookie, form });
    expect(saved.status).toBe(303);
    expect(saved.headers.get("Location")).toBe("/staff/settings?done=saved");

    expect(await getSetting(db(), "companyName")).toBe("Nordlys Energi");
    expect(await getSetting(db(), "dataProtectionAuthority")).toEqual({ name: "Datatilsynet", names: { fr: "Autorité norvégienne de protection des données" }, url: "https://www.datatilsynet.no/" });
    expect(await getSetting(db(), "slaFirstResponseHours")).toBe(24);
    expect((await getSetting(db(), "slaByPriority")).urgent).toEqual({ firstResponseHours: 4, resolutionHours: 48 });
    expect(await getSetting(db(), "retentionClosedConcernMonths")).toBe(36);
    expect(await getSetting(db(), "requireTraining")).toBe(false);

    const changes = (await auditOf("settings.changed")).filter((e) => e.id > auditBefore);
    const byKey = Object.fromEntries(changes.map((e) => [e.targetId, e.details]));
    expect(byKey.companyName).toEqual({ from: oldName, to: "Nordlys Energi" });
    expect(byKey.slaFirstResponseHours).toEqual({ from: 48, to: 24 });
    expect(byKey.retentionClosedConcernMonths).toEqual({ from: 24, to: 36 });
    expect(byKey.requireTraining).toEqual({ from: true, to: false });
    expect(byKey.dataProtectionAuthority).toMatchObject({ from: null });
    expect(String((byKey.dataProtectionAuthority as { to: string }).to)).toContain("Datatilsynet");
    expect(Object.keys(byKey).sort()).toEqual(["companyName", "dataProtectionAuthority", "marketSurveillanceAuthority", "requireTraining", "retentionClosedConcernMonths", "slaByPriority", "slaFirstResponseHours"].sort());
    expect(changes.every((e) => e.actorType === "staff")).toBe(true);

    const page = await (await app.request("/staff/settings?done=saved", { cookie })).text();
    expect(page).toContain(html(trNs("en", "settings", "done.saved")));
    expect(page).toContain('value="Datatilsynet"');

    const audit = (await db().select().from(auditLog)).length;
    const again = await app.request("/staff/settings", { cookie, form: await settingsForm(cookie, {}) });
    expect(again.headers.get("Location")).toBe("/staff/settings?done=unchanged");
    expect((await db().select().from(auditLog)).length).toBe(audit);
  });

  it("bad input: 400, translated messages, what was typed is kept, nothing saved", async () => {
    const cookie = await app.signInStaff("admin");
    const before = await snapshot();
    const form = await settingsForm(cookie, {
      companyName: "Typed Company",
      dpaName: "Some Authority",
      dpaUrl: "javascript:alert(1)",
      msaName: "",
      msaUrl: "https://msa.example/",
      sla_high_first: "0",
      sla_low_first: "100",
      sla_low_resolution: "50",
      reopenGraceDays: "2.5",
      linkLifetimeDays: "not a number",
    });
    const response = await app.request("/staff/settings", { cookie, form });
    expect(response.status).toBe(400);
    const page = await response.text();
    expect(page).toContain(html(trNs("en", "settings", "errors.url")));
    expect(page).toContain(html(trNs("en", "settings", "errors.range", { min: 1, max: 8760 })));
    expect(page).toContain(html(trNs("en", "settings", "errors.range", { min: 0, max: 365 })));
    expect(page).toContain(html(trNs("en", "settings", "errors.resolutionBeforeFirst")));
    expect(page).toContain(html(tr("en", "errors.required")));
    expect(page).toContain('value="Typed Company"');
    expect(page).toContain('value="javascript:alert(1)"');
    expect(await snapshot()).toEqual(before);
  });

  it("the logo: checked by its bytes, served with its type, nosniff and a long cache; shown in the portal and the embed; removable; audited", async () => {
    const cookie = await app.signInStaff("admin");
    const before = await snapshot();
    // An SVG named .png and sent as image/png is refused (its bytes say what it is).
    const svg = await upload(cookie, { filename: "logo.png", type: "image/png", bytes: SVG });
    expect(svg.status).toBe(400);
    expect(await svg.text()).toContain(html(trNs("en", "settings", "errors.logo_unsupported_type")));
    expect(await snapshot()).toEqual(before);

    const saved = await upload(cookie, { filename: "whatever.svg", type: "image/svg+xml", bytes: PNG });
    expect(saved.status).toBe(303);
    const version = (await getSetting(db(), "logoVersion"))!;
    expect(version).toMatch(/^[0-9a-f]{16}$/);
    const served = await app.request(`/brand/logo/${version}`);
    expect(served.status).toBe(200);
    expect(served.headers.get("Content-Type")).toBe("image/png");
    expect(served.headers.get("X-Content-Type-Options")).toBe("nosniff");
    expect(served.headers.get("Cache-Control")).toContain("immutable");
    expect(Buffer.from(await served.arrayBuffer()).equals(PNG)).toBe(true);
    expect((await app.request("/brand/logo/0123456789abcdef")).status).toBe(404);
    expect((await app.request("/brand/logo/..%2F..%2Fetc")).status).toBe(404);

    const portal = await (await app.request("/en")).text();
    expect(portal).toContain(`src="/brand/logo/${version}"`);
    const secret = (await createEmbedSite(db(), { slug: "help-logo", name: "Help", origins: ["https://help.example"], withSigningSecret: true })).signingSecret!;
    await upsertCustomer(db(), { id: "logo-customer", email: "logo@example.test", locale: "en" });
    const token = await signEmbedToken(secret, "help-logo", "logo-customer", { ttlSeconds: 300 });
    const location = (await app.request(`/embed/help-logo/en/me/preferences?token=${token}`)).headers.get("Location")!;
    const embed = await (await app.request(location, { headers: { "Sec-Fetch-Site": "same-origin" } })).text();
    expect(embed).toContain(`src="/brand/logo/${version}"`);

    const [changed] = await auditOf("settings.logo_changed");
    expect(changed!.details).toMatchObject({ from: null, to: version, contentType: "image/png" });

    const removed = await app.request("/staff/settings", { cookie, form: { intent: "removeLogo" } });
    expect(removed.headers.get("Location")).toBe("/staff/settings?done=logoRemoved");
    expect((await app.request(`/brand/logo/${version}`)).status).toBe(404);
    expect(await (await app.request("/en")).text()).not.toContain("/brand/logo/");
    expect((await auditOf("settings.logo_changed"))[0]!.details).toMatchObject({ from: version, to: null });
  });

  it("over HTTP through the real server: a 190 KB logo is accepted, a 300 KB upload is refused before it is read", async () => {
    const server = await startServer({ echo: false });
    try {
      const admin = DEMO_STAFF.find((s) => s.role === "admin")!;
      const login = await fetch(`${server.base}/staff/login`, { method: "POST", redirect: "manual", headers: { Origin: server.base }, body: new URLSearchParams({ step: "password", email: admin.email, password: admin.password }) });
      const cookie = login.headers.get("Set-Cookie")!.split(";")[0]!;
      const post = (bytes: Buffer) => {
        const form = new FormData();
        form.set("intent", "logo");
        form.set("logo", new Blob([new Uint8Array(bytes)], { type: "image/png" }), "logo.png");
        return fetch(`${server.base}/staff/settings`, { method: "POST", redirect: "manual", headers: { Origin: server.base, Cookie: cookie }, body: form });
      };
      const big = Buffer.concat([PNG, Buffer.alloc(190 * 1024)]);
      const accepted = await post(big);
      expect(accepted.status).toBe(303);
      expect((await getSetting(server.db, "logo"))!.base64).toBe(big.toString("base64"));
      expect((await post(Buffer.concat([PNG, Buffer.alloc(300 * 1024)]))).status).toBe(413);
    } finally {
      await server.stop();
    }
  });

  it("the logo's limits in the domain: over 200 KB, empty, JPEG and WebP by their bytes", async () => {
    const actor = { type: "system" as const };
    const jpeg = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(100)]);
    const webp = Buffer.concat([Buffer.from("RIFF"), Buffer.from([0, 0, 0, 0]), Buffer.from("WEBPVP8 "), Buffer.alloc(100)]);
    await expect(setCompanyLogo(db(), Buffer.concat([PNG, Buffer.alloc(LOGO_MAX_BYTES)]), actor)).rejects.toThrow(new LogoError("too_large"));
    await expect(setCompanyLogo(db(), Buffer.alloc(0), actor)).rejects.toThrow(new LogoError("empty"));
    await expect(setCompanyLogo(db(), Buffer.from("GIF89a......"), actor)).rejects.toThrow(new LogoError("unsupported_type"));
    await setCompanyLogo(db(), jpeg, actor);
    expect((await getSetting(db(), "logo"))!.contentType).toBe("image/jpeg");
    await setCompanyLogo(db(), webp, actor);
    expect((await getSetting(db(), "logo"))!.contentType).toBe("image/webp");
  });

  it("default choices: changed and audited; customers who never chose get the new default; a crafted value is refused", async () => {
    const cookie = await app.signInStaff("admin");
    await upsertCustomer(db(), { id: "never-chose", email: "never@example.test", locale: "en" });
    const [orders] = await db().select().from(choiceDefinitions).where(eq(choiceDefinitions.key, "orders")).limit(1);
    const next = orders!.defaultValue === "never" ? "ask" : "never";
    const saved = await app.request("/staff/settings", { cookie, form: { intent: "defaults", default_orders: next } });
    expect(saved.headers.get("Location")).toBe("/staff/settings?done=defaults");
    expect((await getPreferences(db(), "never-chose")).find((p) => p.key === "orders")!.value).toBe(next);
    expect((await auditOf("choice.default_changed"))[0]).toMatchObject({ targetId: "orders", details: { from: orders!.defaultValue, to: next } });

    const before = await snapshot();
    const crafted: Record<string, string>[] = [{ intent: "defaults", default_orders: "yes" }, { intent: "defaults", default_nosuchchoice: "allow" }, { intent: "defaults", default_orders: "allow", default_training: "allow" }];
    for (const form of crafted) {
      const refused = await app.request("/staff/settings", { cookie, form });
      expect(refused.status).toBe(400);
      expect(await refused.text()).toContain(html(trNs("en", "settings", "errors.defaults")));
    }
    expect(await snapshot()).toEqual(before);
  });
});

describe("SLA hours per priority (SPEC §12)", () => {
  const T0 = Date.parse("2026-05-04T08:00:00Z");
  beforeEach(async () => {
    await saveSettings(db(), { slaFirstResponseHours: 48, slaResolutionHours: 240, slaByPriority: { low: { firstResponseHours: 72, resolutionHours: 480 }, high: { firstResponseHours: 24, resolutionHours: 120 }, urgent: { firstResponseHours: 4, resolutionHours: 48 } } }, { type: "system" });
  });

  it("filing uses the priority's first-response hours; a priority without its own hours uses the normal ones", async () => {
    const urgent = await concernFor(db(), { priority: "urgent", now: T0 });
    const normal = await concernFor(db(), { now: T0 });
    expect((await findConcernByRef(db(), urgent.ref))!.slaDueAt).toBe(T0 + 4 * HOUR);
    expect((await findConcernByRef(db(), normal.ref))!.slaDueAt).toBe(T0 + 48 * HOUR);
    await saveSettings(db(), { slaByPriority: {} }, { type: "system" });
    const fallback = await concernFor(db(), { priority: "urgent", now: T0 });
    expect((await findConcernByRef(db(), fallback.ref))!.slaDueAt).toBe(T0 + 48 * HOUR);
  });

  it("a priority change moves the running target by the difference of the two priorities' hours", async () => {
    const { ref } = await concernFor(db(), { now: T0 });
    const concern = (await findConcernByRef(db(), ref))!;
    expect(await slaDueAtFor(db(), concern, "urgent")).toBe(T0 + 4 * HOUR);
    expect(await slaDueAtFor(db(), concern, "low")).toBe(T0 + 72 * HOUR);
    expect(await slaDueAtFor(db(), concern, "normal")).toBe(T0 + 48 * HOUR);
    // After the first response the resolution target runs.
    expect(await slaDueAtFor(db(), { ...concern, firstResponseAt: T0 + HOUR, slaDueAt: T0 + 240 * HOUR }, "high")).toBe(T0 + 120 * HOUR);
  });

  it("reopening by the customer uses the concern's priority", async () => {
    const { ref } = await concernFor(db(), { priority: "high", now: T0 });
    await setConcernStatus(db(), (await findConcernByRef(db(), ref))!, "resolved", { outcomeCode: "upheld", outcomeReason: "Done.", now: T0 + HOUR });
    await reopenConcern(db(), (await findConcernByRef(db(), ref))!, T0 + 2 * HOUR);
    expect((await findConcernByRef(db(), ref))!.slaDueAt).toBe(T0 + 2 * HOUR + 24 * HOUR);
  });
});

describe("the authorities are named in every outcome (SPEC §12)", () => {
  const DPA = { name: "Datatilsynet", names: { fr: "Autorité norvégienne de protection des données" }, url: "https://www.datatilsynet.no/" };
  const MSA = { name: "Nkom", names: {}, url: "https://www.nkom.no/" };

  it("the resolved concern's page (signed in, tracked, each language) and the resolution email name both with their addresses; an open concern does not", async () => {
    await saveSettings(db(), { dataProtectionAuthority: DPA, marketSurveillanceAuthority: MSA }, { type: "system" });
    await upsertCustomer(db(), { id: "auth-fr", email: "auth-fr@example.test", locale: "fr" });
    const { ref } = await concernFor(db(), { customerId: "auth-fr", lang: "fr", contactMethod: "email", contactEmail: "auth-fr@example.test" });
    const cookie = await app.signIn("auth-fr", "fr");
    const open = await (await app.request(`/fr/me/concerns/${ref}`, { cookie })).text();
    expect(open).not.toContain("https://www.datatilsynet.no/");

    await setConcernStatus(db(), (await findConcernByRef(db(), ref))!, "resolved", { outcomeCode: "not_upheld", outcomeReason: "We checked it." });
    const fr = await (await app.request(`/fr/me/concerns/${ref}`, { cookie })).text();
    expect(fr).toContain(html(tr("fr", "outcomeAuthorities.lead")));
    expect(fr).toContain('href="https://www.datatilsynet.no/"');
    expect(fr).toContain(html("Autorité norvégienne de protection des données"));
    expect(fr).toContain('href="https://www.nkom.no/"');
    const en = await (await app.request(`/en/me/concerns/${ref}`, { cookie })).text();
    expect(en).toContain(">Datatilsynet<");

    const [email] = await db().select().from(outboxEmails).where(and(eq(outboxEmails.template, "concern_resolved"), like(outboxEmails.toAddress, "auth-fr%"))).limit(1);
    expect(email!.bodyText).toContain(trNs("fr", "emails", "concern_resolved.authorities", { dpa: DPA.names.fr, dpaUrl: DPA.url, msa: MSA.name, msaUrl: MSA.url }));

    const anonymous = await concernFor(db(), { customerId: null, contactMethod: "portal" });
    await setConcernStatus(db(), (await findConcernByRef(db(), anonymous.ref))!, "resolved", { outcomeCode: "upheld", outcomeReason: "Fixed." });
    const tracked = await (await app.request(`/en/concerns/track/${anonymous.trackingToken}`)).text();
    expect(tracked).toContain('href="https://www.nkom.no/"');
  });

  it("without authorities set, no empty section and the email keeps its general remedies", async () => {
    await upsertCustomer(db(), { id: "auth-none", email: "auth-none@example.test", locale: "en" });
    const { ref } = await concernFor(db(), { customerId: "auth-none", contactMethod: "email", contactEmail: "auth-none@example.test" });
    await setConcernStatus(db(), (await findConcernByRef(db(), ref))!, "resolved", { outcomeCode: "upheld", outcomeReason: "Fixed." });
    const cookie = await app.signIn("auth-none");
    const page = await (await app.request(`/en/me/concerns/${ref}`, { cookie })).text();
    expect(page).not.toContain("outcome-authorities-title");
    const [email] = await db().select().from(outboxEmails).where(and(eq(outboxEmails.template, "concern_resolved"), eq(outboxEmails.toAddress, "auth-none@example.test"))).limit(1);
    expect(email!.bodyText).toContain(trNs("en", "emails", "concern_resolved.remedies_other", { count: 14 }));
    for (const key of ["authorities", "authorityDpa", "authorityMsa"]) expect(email!.bodyText).not.toContain(trNs("en", "emails", `concern_resolved.${key}`).split("{{")[0]);
  });
});
