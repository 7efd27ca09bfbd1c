/**
 * /staff/choices and /staff/choices/:key (SPEC §12 "the choice editor"): admins only (crafted
 * requests by other roles change nothing); a new notice version bumps the version, re-asks
 * customers who chose under the old one and shows them the change note (portal and embed, in
 * their language, English where none was given); a wording fix keeps the version and asks no
 * one; new action kinds reach the register editor and the customers' choices; all audited.
 */
import { desc, eq } from "drizzle-orm";
import { beforeEach, describe, expect, it } from "vitest";
import { listActionChoices } from "../../app/domain/ai-register-editor.server";
import { findEditorChoice } from "../../app/domain/choice-editor.server";
import { defineChoice } from "../../app/domain/preferences.server";
import { createEmbedSite, signEmbedToken } from "../../app/domain/embed-sites.server";
import { getPreferences, listChoices, savePreferences } from "../../app/domain/preferences.server";
import { upsertCustomer } from "../../app/domain/customers.server";
import { getSetting } from "../../app/domain/settings.server";
import { seedSettings } from "../../db/seed-settings";
import { auditLog, choiceDefinitions, choiceNotices } from "../../db/schema";
import { createTestApp, type TestApp } from "../support/app";
import { html, trNs } from "../support/locales";

let app: TestApp;
beforeEach(async () => {
  app = await createTestApp();
});

const db = () => app.db;
const LANGS = ["en", "fr", "de", "ar"] as const;
const snapshot = async () => ({
  definitions: await db().select().from(choiceDefinitions),
  notices: (await db().select().from(choiceNotices)).length,
  audit: (await db().select().from(auditLog)).length,
});
const lastAudit = async (action: string) => {
  const [row] = await db().select().from(auditLog).where(eq(auditLog.action, action)).orderBy(desc(auditLog.id)).limit(1);
  return row ? { ...row, details: JSON.parse(row.details) as Record<string, unknown> } : undefined;
};

/** The texts of every language, as the edit form posts them. */
function texts(label: string, explanation: string): Record<string, string> {
  return Object.fromEntries(LANGS.flatMap((l) => [[`label_${l}`, `${label} (${l})`], [`explanation_${l}`, `${explanation} (${l})`]]));
}

describe("choice editor permissions (settings.manage: admins)", () => {
  for (const role of ["agent", "supervisor"] as const) {
    it(`${role}: 403 on the pages and on crafted posts; nothing changes`, async () => {
      const cookie = await app.signInStaff(role);
      const before = await snapshot();
      expect((await app.request("/staff/choices", { cookie })).status).toBe(403);
      expect((await app.request("/staff/choices/orders", { cookie })).status).toBe(403);
      const newKind = await app.request("/staff/choices", { cookie, form: { key: "address-changes", ...texts("Address", "Changes your address"), position: "50", defaultValue: "ask" } });
      expect(newKind.status).toBe(403);
      const version = await app.request("/staff/choices/orders", { cookie, form: { mode: "version", ...texts("Orders", "New meaning"), note_en: "Changed." } });
      expect(version.status).toBe(403);
      expect(await snapshot()).toEqual(before);
    });
  }

  it("signed out: sent to sign-in; an unknown choice is a 404 for an admin", async () => {
    expect((await app.request("/staff/choices")).headers.get("Location")).toBe("/staff/login?next=%2Fstaff%2Fchoices");
    const cookie = await app.signInStaff("admin");
    expect((await app.request("/staff/choices/no-such-choice", { cookie })).status).toBe(404);
    expect((await app.request("/staff/choices/no-such-choice", { cookie, form: { mode: "fix", ...texts("X", "Y") } })).status).toBe(404);
  });
});

describe("a new notice version (SPEC §12: the change note reaches the customer asked to confirm)", () => {
  it("bumps the version, is audited, and customers who chose earlier see the note in their language (portal and embed)", async () => {
    await upsertCustomer(db(), { id: "ce-fr", email: "ce-fr@example.test", locale: "fr" });
    await upsertCustomer(db(), { id: "ce-de", email: "ce-de@example.test", locale: "de" });
    for (const id of ["ce-fr", "ce-de"]) await savePreferences(db(), { customerId: id, values: { troubleshooting: "allow" }, lang: "en", method: "portal" });
    const before = (await findEditorChoice(db(), "troubleshooting"))!.noticeVersion;

    const cookie = await app.signInStaff("admin");
    const saved = await app.request("/staff/choices/troubleshooting", {
      cookie,
      form: { mode: "version", ...texts("Automatic fault fixing", "Now also restarts your router"), note_en: "It can now restart your router.", note_fr: "Il peut désormais redémarrer votre box." },
    });
    expect(saved.status).toBe(303);
    expect(saved.headers.get("Location")).toBe("/staff/choices/troubleshooting?done=version");
    const after = (await findEditorChoice(db(), "troubleshooting"))!;
    expect(after.noticeVersion).toBe(before + 1);
    expect(after.texts.ar).toEqual({ label: "Automatic fault fixing (ar)", explanation: "Now also restarts your router (ar)" });
    expect(await lastAudit("choice.notice_published")).toMatchObject({ actorType: "staff", targetId: "troubleshooting", details: { version: before + 1 } });
    expect((await getPreferences(db(), "ce-fr")).find((p) => p.key === "troubleshooting")).toMatchObject({ value: "allow", needsReconfirmation: true });

    const fr = await (await app.request("/fr/me/preferences", { cookie: await app.signIn("ce-fr", "fr") })).text();
    expect(fr).toContain(html("Il peut désormais redémarrer votre box."));
    // No German note given: the English one is shown.
    const de = await (await app.request("/de/me/preferences", { cookie: await app.signIn("ce-de", "de") })).text();
    expect(de).toContain(html("It can now restart your router."));

    const secret = (await createEmbedSite(db(), { slug: "help-ce", name: "Help", origins: ["https://help.example"], withSigningSecret: true })).signingSecret!;
    const token = await signEmbedToken(secret, "help-ce", "ce-fr", { ttlSeconds: 300 });
    const location = (await app.request(`/embed/help-ce/fr/me/preferences?token=${token}`)).headers.get("Location")!;
    const embed = await (await app.request(location, { headers: { "Sec-Fetch-Site": "same-origin" } })).text();
    expect(embed).toContain(html("Il peut désormais redémarrer votre box."));
  });

  it("without a change note (in English) it is refused with a translated message; what was typed is kept; nothing changes", async () => {
    const cookie = await app.signInStaff("admin");
    const before = await snapshot();
    const response = await app.request("/staff/choices/orders", { cookie, form: { mode: "version", ...texts("Typed label", "Typed explanation"), label_de: "", note_fr: "Seulement en français" } });
    expect(response.status).toBe(400);
    const page = await response.text();
    expect(page).toContain(html(trNs("en", "choiceEditor", "errors.noteRequired")));
    expect(page).toContain('value="Typed label (fr)"');
    expect(page).toContain("Seulement en français");
    expect(await snapshot()).toEqual(before);
  });

  it("a wording fix keeps the version and asks no one again; it is audited", async () => {
    await upsertCustomer(db(), { id: "ce-fix", email: "ce-fix@example.test", locale: "en" });
    await savePreferences(db(), { customerId: "ce-fix", values: { orders: "allow" }, lang: "en", method: "portal" });
    const before = (await findEditorChoice(db(), "orders"))!;
    const cookie = await app.signInStaff("admin");
    const saved = await app.request("/staff/choices/orders", { cookie, form: { mode: "fix", ...texts("Orders and visits", "Fixed a typo") } });
    expect(saved.headers.get("Location")).toBe("/staff/choices/orders?done=fix");
    const after = (await findEditorChoice(db(), "orders"))!;
    expect(after.noticeVersion).toBe(before.noticeVersion);
    expect(after.texts.en).toEqual({ label: "Orders and visits (en)", explanation: "Fixed a typo (en)" });
    expect((await getPreferences(db(), "ce-fix")).find((p) => p.key === "orders")!.needsReconfirmation).toBe(false);
    expect(await lastAudit("choice.notice_wording_fixed")).toMatchObject({ targetId: "orders", details: { version: before.noticeVersion } });
    expect((await listChoices(db(), "en")).find((c) => c.key === "orders")!.label).toBe("Orders and visits (en)");
  });
});

describe("new action kinds (SPEC §12)", () => {
  it("an admin adds one: audited, offered to AI systems in the register editor, shown to customers with its default and amount limit", async () => {
    const cookie = await app.signInStaff("admin");
    const created = await app.request("/staff/choices", { cookie, form: { key: "Address-Changes", ...texts("Address changes", "AI may update your postal address"), position: "70", defaultValue: "ask" } });
    expect(created.status).toBe(303);
    expect(created.headers.get("Location")).toBe("/staff/choices/address-changes?done=created");
    const choice = (await findEditorChoice(db(), "address-changes"))!;
    expect(choice).toMatchObject({ kind: "action", defaultValue: "ask", noticeVersion: 1, position: 70, involvesAmount: false });
    expect(choice.texts.fr).toEqual({ label: "Address changes (fr)", explanation: "AI may update your postal address (fr)" });
    expect(await lastAudit("choice.defined")).toMatchObject({ targetId: "address-changes", details: { kind: "action", involvesAmount: false, defaultValue: "ask" } });
    expect((await listActionChoices(db(), "de")).map((c) => c.key)).toContain("address-changes");
    expect(await (await app.request("/staff/choices", { cookie })).text()).toContain("Address changes (en)");

    await upsertCustomer(db(), { id: "ce-new", email: "ce-new@example.test", locale: "en" });
    expect((await getPreferences(db(), "ce-new")).find((p) => p.key === "address-changes")!.value).toBe("ask");
    const page = await (await app.request("/en/me/preferences", { cookie: await app.signIn("ce-new") })).text();
    expect(page).toContain(html("AI may update your postal address (en)"));
  });

  it("a key in use is 409, a bad key or position is 400 with translated messages; typed text kept; nothing changes", async () => {
    const cookie = await app.signInStaff("admin");
    const before = await snapshot();
    const duplicate = await app.request("/staff/choices", { cookie, form: { key: "orders", ...texts("Dup", "Dup"), position: "1", defaultValue: "ask" } });
    expect(duplicate.status).toBe(409);
    expect(await duplicate.text()).toContain(html(trNs("en", "choiceEditor", "errors.duplicate")));
    const bad = await app.request("/staff/choices", { cookie, form: { key: "1 bad key!", ...texts("Typed", "Typed"), position: "1.5", defaultValue: "maybe" } });
    expect(bad.status).toBe(400);
    const page = await bad.text();
    expect(page).toContain(html(trNs("en", "choiceEditor", "errors.key")));
    expect(page).toContain(html(trNs("en", "choiceEditor", "errors.position")));
    expect(page).toContain('value="1 bad key!"');
    expect(page).toContain('value="Typed (ar)"');
    expect(await snapshot()).toEqual(before);
  });
});

describe("27 languages in the editor (issue 12): English and the languages with text open, the rest collapsed", () => {
  /** The edit form split at the collapsed part: [before it, the <details> tag, inside it]. */
  const split = (page: string) => {
    const match = /<details class="language-fieldsets"( open="")?>/.exec(page);
    expect(match, "the collapsed part").not.toBeNull();
    return { outside: page.slice(0, match!.index), open: Boolean(match![1]), inside: page.slice(match!.index) };
  };
  const fieldset = (lang: string) => `<fieldset class="stack-sm" lang="${lang}"`;

  async function choiceInEnglishAndPolish() {
    const key = `probe-${Math.random().toString(36).slice(2, 8)}`;
    await defineChoice(db(), {
      key,
      kind: "action",
      defaultValue: "ask",
      position: 80,
      texts: { en: { label: "Probe action", explanation: "Only in English and Polish." }, pl: { label: "Próbna czynność", explanation: "Tylko po angielsku i po polsku." } },
    });
    return key;
  }

  it("shows English and Polish, and holds the 25 languages without text in one closed <details> (still submitted: same form)", async () => {
    const key = await choiceInEnglishAndPolish();
    const cookie = await app.signInStaff("admin");
    const page = await (await app.request(`/staff/choices/${key}`, { cookie })).text();
    const { outside, open, inside } = split(page);
    expect(open).toBe(false);
    expect(outside).toContain(fieldset("en"));
    expect(outside).toContain(fieldset("pl"));
    expect(outside.indexOf(fieldset("en"))).toBeLessThan(outside.indexOf(fieldset("pl")));
    expect(inside).toContain(html(trNs("en", "staff", "languageFieldsets.more_other", { count: 25 })));
    for (const lang of ["fi", "el", "ar", "ga", "de"]) {
      expect(inside, lang).toContain(fieldset(lang));
      expect(outside, lang).not.toContain(fieldset(lang));
    }
    // Inside the same form as the submit button: a closed <details> does not keep its fields from being sent.
    expect(inside.indexOf('name="label_fi"')).toBeLessThan(inside.indexOf("</form>"));
    expect(inside.indexOf("</details>")).toBeLessThan(inside.indexOf('type="submit"'));
  });

  it("a Polish text saved through the editor shows on /pl/me/preferences; a language left empty shows English, marked", async () => {
    const key = await choiceInEnglishAndPolish();
    const cookie = await app.signInStaff("admin");
    const saved = await app.request(`/staff/choices/${key}`, {
      cookie,
      form: { mode: "fix", label_en: "Probe action", explanation_en: "Only in English and Polish.", label_pl: "Czynność próbna", explanation_pl: "Poprawione wyjaśnienie po polsku.", label_fi: "", explanation_fi: "" },
    });
    expect(saved.status).toBe(303);
    expect((await findEditorChoice(db(), key))!.texts.fi).toBeUndefined();
    for (const [id, lang] of [["ce-pl", "pl"], ["ce-fi", "fi"]] as const) await upsertCustomer(db(), { id, email: `${id}@example.test`, locale: lang });
    const pl = await (await app.request("/pl/me/preferences", { cookie: await app.signIn("ce-pl", "pl") })).text();
    expect(pl).toContain(html("Poprawione wyjaśnienie po polsku."));
    const fi = await (await app.request("/fi/me/preferences", { cookie: await app.signIn("ce-fi", "fi") })).text();
    expect(fi).toContain(html("Only in English and Polish."));
  });

  it("a label without its explanation is refused on the explanation; that language is shown, what was typed kept; nothing changes", async () => {
    const key = await choiceInEnglishAndPolish();
    const cookie = await app.signInStaff("admin");
    const before = await snapshot();
    const response = await app.request(`/staff/choices/${key}`, { cookie, form: { mode: "fix", label_en: "Probe action", explanation_en: "Only in English and Polish.", label_fi: "Kokeilutoiminto", explanation_fi: "" } });
    expect(response.status).toBe(400);
    const { outside, open, inside } = split(await response.text());
    expect(outside).toContain(fieldset("fi"));
    expect(outside).toContain('value="Kokeilutoiminto"');
    expect(outside).toMatch(/id="[^"]*explanation_fi-error"/);
    expect(open).toBe(false);
    expect(inside).not.toContain(fieldset("fi"));
    expect(await snapshot()).toEqual(before);
  });

  it("a new action kind needs English only", async () => {
    const cookie = await app.signInStaff("admin");
    const created = await app.request("/staff/choices", { cookie, form: { key: "english-only", label_en: "English only", explanation_en: "Written once.", position: "71", defaultValue: "ask" } });
    expect(created.status).toBe(303);
    expect(Object.keys((await findEditorChoice(db(), "english-only"))!.texts)).toEqual(["en"]);
  });
});

describe("the demo's settings (db/seed-settings.ts)", () => {
  it("names the authorities, sets SLA per priority and re-asks “Contacting you first” with its note in every language; a second run adds nothing", async () => {
    await upsertCustomer(db(), { id: "ce-demo", email: "ce-demo@example.test", locale: "en" });
    await savePreferences(db(), { customerId: "ce-demo", values: { "proactive-outreach": "allow" }, lang: "en", method: "portal" });
    const first = await seedSettings(db());
    expect(first.settings).toBe(true);
    expect(first.noticeVersion).toBeGreaterThan(1);
    expect(await seedSettings(db())).toEqual({ settings: false, noticeVersion: null });
    expect(await getSetting(db(), "marketSurveillanceAuthority")).toMatchObject({ url: "https://www.bipt.be/" });
    expect((await getSetting(db(), "slaByPriority")).urgent).toEqual({ firstResponseHours: 4, resolutionHours: 48 });
    expect((await getPreferences(db(), "ce-demo")).find((p) => p.key === "proactive-outreach")!.needsReconfirmation).toBe(true);
    for (const lang of LANGS) {
      const notice = (await db().select().from(choiceNotices).where(eq(choiceNotices.choiceKey, "proactive-outreach"))).find((n) => n.version === first.noticeVersion && n.lang === lang)!;
      expect(notice.changeNote).toBeTruthy();
      const page = await (await app.request(`/${lang}/me/preferences`, { cookie: await app.signIn("ce-demo", lang) })).text();
      expect(page).toContain(html(notice.changeNote!));
    }
  });
});
