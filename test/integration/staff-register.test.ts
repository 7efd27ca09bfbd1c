import { and, eq } from "drizzle-orm";
import { beforeEach, describe, expect, it } from "vitest";
import { getRegisterEntry } from "../../app/domain/ai-register-editor.server";
import { upsertCustomer } from "../../app/domain/customers.server";
import { getPreferences, listChoices, savePreferences } from "../../app/domain/preferences.server";
import { aiSystemActions, aiSystems, aiSystemTexts, aiSystemVersions, auditLog, choiceNotices } from "../../db/schema";
import { LANGUAGES } from "../../app/utils/languages";
import { createTestApp, type TestApp } from "../support/app";
import { html, tr, trNs } from "../support/locales";

let app: TestApp;
beforeEach(async () => {
  app = await createTestApp();
});

const PASSWORDS = { agent: "demo-agent-password", supervisor: "demo-supervisor-password", admin: "demo-admin-password" } as const;

async function staffCookie(role: keyof typeof PASSWORDS): Promise<string> {
  const login = await app.request("/staff/login", { form: { step: "password", email: `${role}@nordlys.example`, password: PASSWORDS[role] } });
  expect(login.status).toBe(303);
  return login.headers.get("Set-Cookie")!.split(";")[0]!;
}

const TEXT_FIELDS = ["name", "shortDescription", "riskReason", "purpose", "notFor", "howItWorks", "limitations", "dataOperating", "dataTraining", "legalBasis", "oversight", "risks", "impactAssessment", "retention"] as const;

function textsFor(prefix: string): Record<string, string> {
  return Object.fromEntries(TEXT_FIELDS.map((f) => [`texts.${f}`, `${prefix} ${f}`]));
}

function createForm(slug: string, extra: Record<string, string> = {}): URLSearchParams {
  const form = new URLSearchParams({
    slug,
    provider: "Acme AI",
    riskClass: "limited",
    autonomy: "answers",
    contactEmail: "ai@nordlys.example",
    ...textsFor("Billing helper"),
    ...extra,
  });
  form.append("channels", "chat");
  form.append("channels", "web");
  form.append("actions", "billing-arrangements");
  return form;
}

/** The edit form as the page would post it, facts as they are, with overrides. */
async function editForm(slug: string, lang: "en" | "fr" | "de" | "ar", overrides: Record<string, string | null> = {}): Promise<URLSearchParams> {
  const entry = (await getRegisterEntry(app.db, slug))!;
  const s = entry.system;
  const texts = entry.texts[lang];
  const values: Record<string, string | null> = {
    version: String(s.currentVersion),
    lang,
    provider: s.provider,
    riskClass: s.riskClass,
    autonomy: s.autonomy,
    status: s.status,
    contactEmail: s.contactEmail,
    ...Object.fromEntries(TEXT_FIELDS.map((f) => [`texts.${f}`, texts?.[f] ?? ""])),
    "notes.en": "A change.",
    ...overrides,
  };
  const form = new URLSearchParams();
  for (const [k, v] of Object.entries(values)) if (v !== null) form.append(k, v);
  for (const c of s.channels) form.append("channels", c);
  for (const a of entry.actionKeys) form.append("actions", a);
  return form;
}

async function counts() {
  return {
    systems: (await app.db.select().from(aiSystems)).length,
    texts: (await app.db.select().from(aiSystemTexts)).length,
    versions: (await app.db.select().from(aiSystemVersions)).length,
    actions: (await app.db.select().from(aiSystemActions)).length,
    notices: (await app.db.select().from(choiceNotices)).length,
    audit: (await app.db.select().from(auditLog)).length,
  };
}

describe("AI register editor: permissions (SPEC §4, §9)", () => {
  it("an agent gets 403 on every page and every crafted POST, and nothing changes", async () => {
    const cookie = await staffCookie("agent");
    const before = await counts();
    for (const path of ["/staff/ai-systems", "/staff/ai-systems/new", "/staff/ai-systems/chat-assistant", "/staff/ai-systems/chat-assistant?lang=fr"]) {
      const response = await app.request(path, { cookie });
      expect(response.status, path).toBe(403);
    }
    const create = await app.request("/staff/ai-systems/new", { cookie, form: createForm("agent-made") });
    expect(create.status).toBe(403);
    const edit = await app.request("/staff/ai-systems/network-troubleshooter", {
      cookie,
      form: await editForm("network-troubleshooter", "en", { provider: "Agent edit", material: "on" }),
    });
    expect(edit.status).toBe(403);
    const french = await app.request("/staff/ai-systems/chat-assistant?lang=fr", { cookie, form: await editForm("chat-assistant", "fr", { "texts.name": "Changé par un agent" }) });
    expect(french.status).toBe(403);
    expect(await counts()).toEqual(before);
    expect((await getRegisterEntry(app.db, "network-troubleshooter"))!.system.provider).not.toBe("Agent edit");
    // The register link is not offered to agents either.
    expect(await (await app.request("/staff/account", { cookie })).text()).not.toContain('href="/staff/ai-systems"');
  });

  it("supervisors and admins may open every page", async () => {
    for (const role of ["supervisor", "admin"] as const) {
      const cookie = await staffCookie(role);
      for (const path of ["/staff/ai-systems", "/staff/ai-systems/new", "/staff/ai-systems/chat-assistant?lang=ar"]) {
        expect((await app.request(path, { cookie })).status, `${role} ${path}`).toBe(200);
      }
    }
  });

  it("without a session every page sends the visitor to sign in, and a POST changes nothing", async () => {
    const before = await counts();
    const page = await app.request("/staff/ai-systems/new");
    expect(page.status).toBe(302);
    expect(page.headers.get("Location")).toBe("/staff/login?next=%2Fstaff%2Fai-systems%2Fnew");
    const post = await app.request("/staff/ai-systems/new", { form: createForm("anonymous-made") });
    expect(post.status).toBe(302);
    expect(await counts()).toEqual(before);
  });
});

describe("AI register editor: supervisor", () => {
  it("lists every system, including retired ones, with missing languages flagged", async () => {
    const cookie = await staffCookie("supervisor");
    // Retire one system through the editor.
    const retire = await app.request("/staff/ai-systems/call-summariser", { cookie, form: await editForm("call-summariser", "en", { status: "retired" }) });
    expect(retire.status).toBe(303);
    expect(await (await app.request("/en/ai-systems")).text()).not.toContain("/en/ai-systems/call-summariser");

    const created = await app.request("/staff/ai-systems/new", { cookie, form: createForm("billing-helper") });
    expect(created.status).toBe(303);
    const list = await app.request("/staff/ai-systems", { cookie });
    expect(list.status).toBe(200);
    const page = await list.text();
    expect(page).toContain('href="/staff/ai-systems/call-summariser"');
    expect(page).toContain(html(tr("en", "register.status.retired")));
    expect(page).toContain('href="/staff/ai-systems/billing-helper"');
    const texts = await app.db.select({ systemId: aiSystemTexts.systemId }).from(aiSystemTexts);
    const incomplete = (await app.db.select({ id: aiSystems.id }).from(aiSystems)).filter((system) => texts.filter((t) => t.systemId === system.id).length < LANGUAGES.length).length;
    // The new system has English only (the demo's own are translated into every language).
    expect(incomplete).toBeGreaterThanOrEqual(1);
    expect(page).toContain(html(trNs("en", "registerEditor", `list.missingTitle_${incomplete === 1 ? "one" : "other"}`, { count: incomplete })));
    // Per row: how many languages, and only the missing ones, each linking to the editor in it.
    const row = (slug: string) => new RegExp(`<tr>(?:(?!</tr>).)*/staff/ai-systems/${slug}"(?:(?!</tr>).)*</tr>`, "s").exec(page)?.[0] ?? "";
    const billing = row("billing-helper");
    expect(billing).toContain(html(trNs("en", "registerEditor", "list.presentOf_other", { present: 1, total: LANGUAGES.length })));
    expect(billing).toContain('href="/staff/ai-systems/billing-helper?lang=fr"');
    expect(billing).toContain('href="/staff/ai-systems/billing-helper?lang=fi"');
    expect(billing).not.toContain("?lang=en");
    expect(billing.match(/class="tag register-missing"/g)).toHaveLength(LANGUAGES.length - 1);
    expect(billing).not.toContain(html(trNs("en", "registerEditor", "list.allLanguages")));
  });

  it("a system with texts in every language says so, without tags", async () => {
    const cookie = await staffCookie("supervisor");
    expect((await app.request("/staff/ai-systems/new", { cookie, form: createForm("every-language") })).status).toBe(303);
    const entry = (await getRegisterEntry(app.db, "every-language"))!;
    const english = (await app.db.select().from(aiSystemTexts).where(and(eq(aiSystemTexts.systemId, entry.system.id), eq(aiSystemTexts.lang, "en"))))[0]!;
    await app.db.insert(aiSystemTexts).values(LANGUAGES.filter((l) => l !== "en").map((lang) => ({ ...english, lang })));
    const page = await (await app.request("/staff/ai-systems", { cookie })).text();
    const row = new RegExp(`<tr>(?:(?!</tr>).)*/staff/ai-systems/every-language"(?:(?!</tr>).)*</tr>`, "s").exec(page)?.[0] ?? "";
    expect(row).toContain(html(trNs("en", "registerEditor", "list.allLanguages")));
    expect(row).not.toContain("register-missing");
  });

  it("creates a system in English; French texts saved later replace the visible English fallback on /fr", async () => {
    const cookie = await staffCookie("supervisor");
    const created = await app.request("/staff/ai-systems/new", { cookie, form: createForm("billing-helper") });
    expect(created.status).toBe(303);
    expect(created.headers.get("Location")).toBe("/staff/ai-systems/billing-helper?created=1");
    const entry = (await getRegisterEntry(app.db, "billing-helper"))!;
    expect(entry.system.currentVersion).toBe(1);
    expect(entry.actionKeys).toEqual(["billing-arrangements"]);
    // Without a note of its own, version 1 says "added" in every language.
    expect(entry.versions[0]!.changeNote.fr).toBe(trNs("fr", "registerEditor", "create.defaultNote"));

    const fallback = await (await app.request("/fr/ai-systems/billing-helper")).text();
    expect(fallback).toContain("Billing helper name");
    expect(fallback).toContain(html(tr("fr", "register.shownInEnglish")));

    const editor = await app.request("/staff/ai-systems/billing-helper?lang=fr", { cookie });
    expect(editor.status).toBe(200);
    const editorPage = await editor.text();
    expect(editorPage).toContain(html(trNs("en", "registerEditor", "edit.missingTitle", { language: "Français" })));
    expect(editorPage).toContain('lang="fr"');

    const saved = await app.request("/staff/ai-systems/billing-helper?lang=fr", {
      cookie,
      form: await editForm("billing-helper", "fr", { ...textsFor("Assistant de facturation"), "notes.en": "French texts added.", "notes.fr": "Textes français ajoutés." }),
    });
    expect(saved.status).toBe(303);
    expect(saved.headers.get("Location")).toBe("/staff/ai-systems/billing-helper?lang=fr&saved=2");

    const publicPage = await (await app.request("/fr/ai-systems/billing-helper")).text();
    expect(publicPage).toContain("Assistant de facturation name");
    expect(publicPage).toContain("Assistant de facturation purpose");
    expect(publicPage).not.toContain(html(tr("fr", "register.shownInEnglish")));
    expect(publicPage).toContain("Textes français ajoutés.");
    // English visitors still read English.
    expect(await (await app.request("/en/ai-systems/billing-helper")).text()).toContain("Billing helper name");

    const after = await (await app.request("/staff/ai-systems/billing-helper?lang=fr&saved=2", { cookie })).text();
    expect(after).toContain(html(trNs("en", "registerEditor", "edit.saved", { version: 2 })));
    expect(after).toContain("Assistant de facturation name");
  });

  it("bad input: a translated error, the typed values kept, nothing stored", async () => {
    const cookie = await staffCookie("supervisor");
    const before = await counts();

    const badSlug = await app.request("/staff/ai-systems/new", { cookie, form: createForm("Bad Slug!", { provider: "Typed provider", "texts.purpose": "" }) });
    expect(badSlug.status).toBe(400);
    const badPage = await badSlug.text();
    expect(badPage).toContain(html(trNs("en", "registerEditor", "errors.slugFormat")));
    expect(badPage).toContain(html(tr("en", "errors.required")));
    expect(badPage).toContain('value="Typed provider"');
    expect(badPage).toContain("Billing helper limitations");

    const taken = await app.request("/staff/ai-systems/new", { cookie, form: createForm("chat-assistant") });
    expect(taken.status).toBe(400);
    expect(await taken.text()).toContain(html(trNs("en", "registerEditor", "errors.slugTaken")));
    const reserved = await app.request("/staff/ai-systems/new", { cookie, form: createForm("new") });
    expect(reserved.status).toBe(400);
    const noChannels = createForm("no-channels");
    noChannels.delete("channels");
    expect((await app.request("/staff/ai-systems/new", { cookie, form: noChannels })).status).toBe(400);

    // A language's texts are all or nothing.
    const partial = await app.request("/staff/ai-systems/chat-assistant?lang=de", {
      cookie,
      form: await editForm("chat-assistant", "de", { "texts.purpose": "", "texts.name": "Geänderter Name" }),
    });
    expect(partial.status).toBe(400);
    const partialPage = await partial.text();
    expect(partialPage).toContain(html(tr("en", "errors.required")));
    expect(partialPage).toContain('value="Geänderter Name"');

    const nothing = await app.request("/staff/ai-systems/chat-assistant", { cookie, form: await editForm("chat-assistant", "en") });
    expect(nothing.status).toBe(400);
    expect(await nothing.text()).toContain(html(trNs("en", "registerEditor", "errors.noChanges")));

    const noNote = await app.request("/staff/ai-systems/chat-assistant", { cookie, form: await editForm("chat-assistant", "en", { provider: "Changed", "notes.en": null, "notes.fr": "Seulement en français" }) });
    expect(noNote.status).toBe(400);
    expect(await noNote.text()).toContain("Seulement en français");

    const stale = await app.request("/staff/ai-systems/chat-assistant", { cookie, form: await editForm("chat-assistant", "en", { provider: "Changed", version: "1" }) });
    expect(stale.status).toBe(409);
    expect(await stale.text()).toContain(html(trNs("en", "registerEditor", "errors.stale")));

    const unknownAction = await editForm("chat-assistant", "en", { provider: "Changed" });
    unknownAction.append("actions", "launch-rockets");
    const unknown = await app.request("/staff/ai-systems/chat-assistant", { cookie, form: unknownAction });
    expect(unknown.status).toBe(400);
    expect(await unknown.text()).toContain(html(trNs("en", "registerEditor", "errors.unknownAction")));

    const badStatus = await app.request("/staff/ai-systems/chat-assistant", { cookie, form: await editForm("chat-assistant", "en", { status: "deleted" }) });
    expect(badStatus.status).toBe(400);
    expect(await counts()).toEqual(before);

    expect((await app.request("/staff/ai-systems/no-such-system", { cookie })).status).toBe(404);
    expect((await app.request("/staff/ai-systems/no-such-system", { cookie, form: await editForm("chat-assistant", "en", { provider: "X" }) })).status).toBe(404);
  });

  it("errors are shown in the staff member's own language", async () => {
    const cookie = await staffCookie("supervisor");
    expect((await app.request("/staff/account", { cookie, form: { intent: "language", locale: "de" } })).status).toBe(303);
    const response = await app.request("/staff/ai-systems/new", { cookie, form: createForm("Bad Slug") });
    expect(response.status).toBe(400);
    expect(await response.text()).toContain(html(trNs("de", "registerEditor", "errors.slugFormat")));
  });

  it("a material change re-asks the dependent choices: the customer's preferences page asks to confirm", async () => {
    const customerId = "register-material-customer";
    await upsertCustomer(app.db, { id: customerId, email: null, locale: "en" });
    const shown = Object.fromEntries((await listChoices(app.db, "en")).map((c) => [c.key, c.noticeVersion]));
    await savePreferences(app.db, { customerId, values: { troubleshooting: "allow" }, lang: "en", method: "portal", noticeVersionsShown: shown });
    const customer = await app.signIn(customerId);
    const reconfirm = html(tr("en", "preferences.reconfirmTitle"));
    const beforePage = await (await app.request("/en/me/preferences", { cookie: customer })).text();
    expect(beforePage).not.toContain(reconfirm);

    const cookie = await staffCookie("supervisor");
    // Not material: nothing is re-asked.
    const minor = await app.request("/staff/ai-systems/network-troubleshooter", { cookie, form: await editForm("network-troubleshooter", "en", { markReviewed: "on" }) });
    expect(minor.status).toBe(303);
    expect(await (await app.request("/en/me/preferences", { cookie: customer })).text()).not.toContain(reconfirm);

    const material = await app.request("/staff/ai-systems/network-troubleshooter", {
      cookie,
      form: await editForm("network-troubleshooter", "en", { "texts.howItWorks": "It now also resets your router remotely.", "notes.en": "Router resets added.", material: "on" }),
    });
    expect(material.status).toBe(303);
    expect(material.headers.get("Location")).toMatch(/saved=\d+&reasked=3$/);
    expect((await getPreferences(app.db, customerId)).find((p) => p.key === "troubleshooting")!.needsReconfirmation).toBe(true);
    const afterPage = await (await app.request("/en/me/preferences", { cookie: customer })).text();
    expect(afterPage).toContain(reconfirm);

    const saved = await (await app.request(material.headers.get("Location")!, { cookie })).text();
    expect(saved).toContain(html(trNs("en", "registerEditor", "edit.reasked_other", { count: 3 })));
    const audit = (await app.db.select().from(auditLog)).slice(-4).map((a) => a.action);
    expect(audit).toEqual(["choice.notice_published", "choice.notice_published", "choice.notice_published", "ai_system.updated"]);
  });
});
