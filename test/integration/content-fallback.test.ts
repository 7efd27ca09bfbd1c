/**
 * Content fallback (SPEC §8, issue 12): a register entry or a choice's notice missing in the page's
 * language is shown in English, marked `lang="en"`, with a note in the page's language; staff see
 * per system, per notice and per canned reply which languages are missing (/staff/translations).
 */
import { beforeAll, describe, expect, it } from "vitest";
import { saveCannedReply } from "../../app/domain/concerns/index.server";
import { defineChoice } from "../../app/domain/preferences.server";
import { upsertCustomer } from "../../app/domain/customers.server";
import { LANGUAGES } from "../../app/utils/languages";
import { createTestApp, type TestApp } from "../support/app";
import { auditSystem } from "../support/audit-factories";
import { html, tr, trNs } from "../support/locales";

let app: TestApp;
beforeAll(async () => {
  app = await createTestApp();
});

describe("a text missing in the page's language", () => {
  it("the register shows it in English, marked, with a note in the page's language", async () => {
    const system = await auditSystem(app.db, { name: "Fallback probe assistant" });
    for (const lang of ["pl", "fi", "el", "ar", "ga"] as const) {
      const page = await (await app.request(`/${lang}/ai-systems/${system.slug}`)).text();
      expect(page, lang).toContain(`<html lang="${lang}"`);
      expect(page, lang).toContain(html(tr(lang, "register.shownInEnglish")));
      expect(page, lang).toMatch(/<h1[^>]*lang="en"[^>]*>Fallback probe assistant<\/h1>/);
    }
    const english = await (await app.request(`/en/ai-systems/${system.slug}`)).text();
    expect(english).not.toContain(html(tr("en", "register.shownInEnglish")));
  });

  it("the choices page shows an untranslated notice in English with the note", async () => {
    const key = `fallback-${Math.random().toString(36).slice(2, 8)}`;
    await defineChoice(app.db, { key, kind: "action", defaultValue: "ask", position: 90, texts: { en: { label: "Fallback probe action", explanation: "Only written in English." } } });
    const customer = `fallback-${key}`;
    await upsertCustomer(app.db, { id: customer, email: `${customer}@example.com`, locale: "lt" });
    const page = await (await app.request("/lt/me/preferences", { cookie: await app.signIn(customer, "lt") })).text();
    expect(page).toContain("Fallback probe action");
    expect(page).toContain(html(tr("lt", "register.shownInEnglish")));
  });
});

describe("/staff/translations", () => {
  it("lists what is missing per system, per notice and per canned reply, with links to add it", async () => {
    const system = await auditSystem(app.db, { name: "Coverage probe assistant" });
    await saveCannedReply(app.db, { key: "coverage-probe", lang: "en", title: "Coverage probe", body: "Only English and Polish." }, "system");
    await saveCannedReply(app.db, { key: "coverage-probe", lang: "pl", title: "Sonda", body: "Tylko angielski i polski." }, "system");
    const cookie = await app.signInStaff("admin");
    const response = await app.request("/staff/translations", { cookie });
    expect(response.status).toBe(200);
    const page = await response.text();
    const row = (name: string) => new RegExp(`<tr>(?:(?!</tr>).)*${name}(?:(?!</tr>).)*</tr>`, "s").exec(page)?.[0] ?? "";
    const systemRow = row("Coverage probe assistant");
    expect(systemRow).toContain(`href="/staff/ai-systems/${system.slug}?lang=fi"`);
    expect(systemRow).not.toContain(`?lang=en"`);
    const cannedRow = row("coverage-probe");
    expect(cannedRow).toContain(`href="/staff/canned-replies?key=coverage-probe&amp;lang=de"`);
    expect(cannedRow).not.toContain("lang=pl\"");
    expect(cannedRow).toContain(html(trNs("en", "translations", "presentOf", { present: 2, total: LANGUAGES.length })));
  });

  it("a supervisor sees the coverage but is not sent to the choice editor (admins only)", async () => {
    await auditSystem(app.db, { name: "Supervisor probe assistant" });
    await defineChoice(app.db, { key: "supervisor-probe", kind: "action", defaultValue: "ask", position: 91, texts: { en: { label: "Supervisor probe action", explanation: "English only." } } });
    const page = await (await app.request("/staff/translations", { cookie: await app.signInStaff("supervisor") })).text();
    expect(page).toContain(html(trNs("en", "translations", "notices")));
    expect(page).not.toContain('href="/staff/choices/');
    expect(page).toContain('href="/staff/ai-systems/');
    const admin = await (await app.request("/staff/translations", { cookie: await app.signInStaff("admin") })).text();
    expect(admin).toContain('href="/staff/choices/supervisor-probe"');
  });

  it("is for supervisors and admins: an agent is refused", async () => {
    const response = await app.request("/staff/translations", { cookie: await app.signInStaff("agent") });
    expect(response.status).toBe(403);
  });
});
