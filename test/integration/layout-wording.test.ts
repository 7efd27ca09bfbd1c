/**
 * Layout and wording (issue 7, item 21): plural forms in every locale, mixed-direction text,
 * keyboard-reachable scrolling tables and a meta description, on the pages the app renders.
 */
import i18next from "i18next";
import fs from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { LANGUAGES } from "../../app/utils/languages";
import { fileConcern, findConcernByRef, setConcernStatus } from "../../app/domain/concerns/index.server";
import { upsertCustomer } from "../../app/domain/customers.server";
import { recordInteraction } from "../../app/domain/interactions.server";
import { translateError } from "../../app/utils/forms";
import { aiSystems } from "../../db/schema";
import { createTestApp, type TestApp } from "../support/app";
import { rawValue } from "../support/raw-sql";
import { html, tr } from "../support/locales";

let app: TestApp;
beforeAll(async () => {
  app = await createTestApp();
});

const LANGS = LANGUAGES;
const FSI = "\u2068";
const PDI = "\u2069";

async function systemId(slug: string): Promise<number> {
  return (await app.db.select().from(aiSystems)).find((s) => s.slug === slug)!.id;
}

/** A customer of our own with one interaction whose subject is English (whatever the page language). */
async function customerWithInteraction(subject: string) {
  const id = `wording-${Math.random().toString(36).slice(2, 10)}`;
  await upsertCustomer(app.db, { id, email: `${id}@example.com`, locale: "ar" });
  const ref = `NL-${Math.floor(Math.random() * 900000 + 100000)}`;
  await recordInteraction(app.db, {
    customerId: id,
    source: "crm",
    ref,
    channel: "email",
    subject,
    occurredAt: Date.now() - 3_600_000,
    ai: [{ systemId: await systemId("email-reply-drafter"), role: "drafted", humanReviewed: true, trainingEligible: false }],
  });
  return { id, ref };
}

describe("plural forms", () => {
  it("the register's concern counts agree with their number in every language (not “1 résolus”)", async () => {
    // email-reply-drafter has no demo concerns: one resolved concern, then one more still open.
    const file = async () =>
      (await fileConcern(app.db, {
        customerId: null,
        contactEmail: "someone@example.com",
        contactMethod: "email",
        lang: "fr",
        kind: "explanation",
        interactionId: null,
        systemId: await systemId("email-reply-drafter"),
        description: "Pourquoi cette réponse a-t-elle été rédigée par une IA ?",
        desiredOutcome: "",
      })).ref;
    const first = await file();
    await setConcernStatus(app.db, (await findConcernByRef(app.db, first))!, "in_progress");
    await setConcernStatus(app.db, (await findConcernByRef(app.db, first))!, "resolved", { outcomeCode: "explained", outcomeReason: "Une personne a relu la réponse." });
    const page = async (lang: string) => (await app.request(`/${lang}/ai-systems/email-reply-drafter`)).text();

    expect(await page("fr")).toContain(html("1 signalement au total\u00a0: 0 en cours, 1 résolu."));
    expect(await page("en")).toContain(html("1 concern in total: 0 open, 1 resolved."));
    await file();
    const fr = await page("fr");
    expect(fr).toContain(html("2 signalements au total\u00a0: 1 en cours, 1 résolu."));
    expect(fr).not.toContain("1 résolus");
    expect(await page("de")).toContain(html("2 Anliegen insgesamt: 1 offen, 1 erledigt."));
    expect(await page("ar")).toContain("المجموع:");
  });

  it("every key that interpolates a count has the plural forms of its language, and counts sent as form-error parameters pluralise", async () => {
    const t = await i18nFor("fr");
    expect(translateError(t, "errors.tooMany?count=1")).toContain("dans 1 minute.");
    expect(translateError(t, "errors.tooMany?count=5")).toContain("dans 5 minutes.");
    const en = await i18nFor("en");
    expect(translateError(en, "errors.loginThrottled?count=1")).toBe("Too many sign-in attempts. Please try again in 1 minute.");
    const ar = await i18nFor("ar");
    expect(translateError(ar, "errors.tooMany?count=2")).toContain("دقيقتين");

    // No string puts a number before a noun without a plural form.
    for (const lang of LANGS) {
      for (const file of fs.readdirSync(path.resolve("locales", lang))) {
        const flat = flatten(JSON.parse(fs.readFileSync(path.resolve("locales", lang, file), "utf8")) as Record<string, unknown>);
        for (const [key, value] of Object.entries(flat)) {
          if (/_(zero|one|two|few|many|other)$/.test(key)) continue;
          expect(value, `${lang}/${file} ${key}`).not.toMatch(/\{\{\s*(count|minutes|days|hours|resolved|open|total)\s*\}\}\s+\p{L}(?!\{\{)/u);
        }
      }
    }
  });
});

describe("mixed-direction text (Arabic pages)", () => {
  it("an English subject keeps its own direction; refs, dates and details are isolated in sentences and options", async () => {
    const { id, ref } = await customerWithInteraction("Router keeps rebooting (model X-200)");
    const cookie = await app.signIn(id, "ar");
    const timeline = await (await app.request("/ar/me/interactions", { cookie })).text();
    expect(timeline).toContain(`<h2 dir="auto">Router keeps rebooting (model X-200)</h2>`);
    expect(timeline).toContain(`${FSI}${ref}${PDI}`);
    const form = await (await app.request("/ar/me/concerns/new", { cookie })).text();
    expect(form).toMatch(new RegExp(`>${FSI}Router keeps rebooting \\(model X-200\\)${PDI} · ${FSI}[^<]+${PDI}</option>`));
  });

  it("a customer's text has dir=auto on the customer's page and in the staff console", async () => {
    const { id, ref } = await customerWithInteraction("Billing question");
    const interactionId = (await rawValue(app.services.database, "select id from interactions where ref = ?", ref)) as number;
    const { ref: concernRef } = await fileConcern(app.db, {
      customerId: id,
      contactEmail: null,
      contactMethod: "portal",
      lang: "ar",
      kind: "other",
      interactionId,
      systemId: await systemId("email-reply-drafter"),
      description: "The reply said “ask first” لكنني لم أختر ذلك",
      desiredOutcome: "",
    });
    const cookie = await app.signIn(id, "ar");
    const status = await (await app.request(`/ar/me/concerns/${concernRef}`, { cookie })).text();
    expect(status).toContain(`<p class="user-text" dir="auto">${html("The reply said “ask first” لكنني لم أختر ذلك")}</p>`);
    expect(status).toContain(`${FSI}Billing question${PDI}`);
    const staff = await app.signInStaff("agent");
    const casePage = await (await app.request(`/staff/concerns/${concernRef}`, { cookie: staff })).text();
    expect(casePage).toMatch(/<p class="user-text" lang="ar" dir="auto">The reply said/);
  });
});

describe("every page", () => {
  it("has a translated meta description", async () => {
    const cookie = await app.signIn("demo-customer-1");
    for (const lang of LANGS) {
      for (const page of ["", "/ai-systems", "/ai-systems/chat-assistant", "/me/interactions", "/me/concerns"]) {
        const body = await (await app.request(`/${lang}${page}`, { cookie })).text();
        expect(body, `${lang}${page}`).toContain(`<meta name="description" content="${html(tr(lang, "layout.description"))}"/>`);
      }
    }
    const staff = await app.signInStaff("admin");
    expect(await (await app.request("/staff/audit", { cookie: staff })).text()).toContain('<meta name="description"');
  });

  it("every table that can scroll sideways is a labelled region keyboard users can focus", async () => {
    const cookie = await app.signIn("demo-customer-1");
    const staff = await app.signInStaff("admin");
    const pages = [
      ["/en/me/concerns", cookie],
      ["/en/me/preferences", cookie],
      ["/staff/audit", staff],
      ["/staff/concerns", staff],
      ["/staff/users", staff],
      ["/staff/outbox", staff],
    ] as const;
    for (const [page, who] of pages) {
      const body = await (await app.request(page, { cookie: who })).text();
      const wrappers = body.match(/<div class="table-wrap[^"]*"[^>]*>/g) ?? [];
      expect(wrappers.length, page).toBeGreaterThan(0);
      for (const wrapper of wrappers) {
        expect(wrapper, page).toContain('role="region"');
        expect(wrapper, page).toMatch(/aria-label="[^"]+"/);
        expect(wrapper, page).toContain('tabindex="0"');
      }
    }
  });
});

function flatten(tree: Record<string, unknown>, prefix = ""): Record<string, string> {
  return Object.entries(tree).reduce<Record<string, string>>((out, [key, value]) => {
    if (typeof value === "string") out[prefix + key] = value;
    else Object.assign(out, flatten(value as Record<string, unknown>, `${prefix}${key}.`));
    return out;
  }, {});
}

async function i18nFor(lang: string) {
  const instance = i18next.createInstance();
  const common = JSON.parse(fs.readFileSync(path.resolve("locales", lang, "common.json"), "utf8")) as Record<string, unknown>;
  await instance.init({ lng: lang, resources: { [lang]: { common } }, defaultNS: "common", interpolation: { escapeValue: false } });
  return instance.t;
}
