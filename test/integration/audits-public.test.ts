/**
 * The public register shows "last audited" and the last audit's public summary (SPEC §12 "Audits of
 * AI systems"): on the register list, on the system's page (and in the embed, which shares them),
 * in the reader's language with the English fallback marked.
 */
import { beforeEach, describe, expect, it } from "vitest";
import { createTestApp, type TestApp } from "../support/app";
import { auditOf, auditSystem } from "../support/audit-factories";
import { html, tr } from "../support/locales";

let app: TestApp;
beforeEach(async () => {
  app = await createTestApp();
});

describe("last audited, in public", () => {
  it("a system never audited says so; after two audits the latest one's date, result and summary show", async () => {
    const system = await auditSystem(app.db);
    const page = async (lang: string) => (await app.request(`/${lang}/ai-systems/${system.slug}`)).text();

    const never = await page("en");
    expect(never).toContain(html(tr("en", "auditPublic.title")));
    expect(never).toContain(html(tr("en", "auditPublic.never")));

    await auditOf(app.db, system.slug, "2025-03-04", { result: "failed", summaries: { en: "The first audit found the model guessed too often." } });
    await auditOf(app.db, system.slug, "2026-02-10", { result: "passed_with_actions", summaries: { en: "Accuracy is good; two small fixes are planned.", fr: "La précision est bonne ; deux petites corrections sont prévues." } });

    const en = await page("en");
    expect(en).not.toContain(html(tr("en", "auditPublic.never")));
    expect(en).toContain(html("Accuracy is good; two small fixes are planned."));
    expect(en).not.toContain("The first audit found");
    expect(en).toContain(html(tr("en", "auditPublic.results.passed_with_actions")));
    expect(en).toMatch(/datetime="2026-02-(09|10)/i);

    const fr = await page("fr");
    expect(fr).toContain(html("La précision est bonne ; deux petites corrections sont prévues."));
    expect(fr).not.toContain(html(tr("fr", "auditPublic.shownInEnglish")));
    const de = await page("de");
    expect(de).toContain(html("Accuracy is good; two small fixes are planned."));
    expect(de).toContain(html(tr("de", "auditPublic.shownInEnglish")));

    const list = await (await app.request("/en/ai-systems")).text();
    expect(list).toContain(html(tr("en", "auditPublic.lastAudited")));
  });
});
