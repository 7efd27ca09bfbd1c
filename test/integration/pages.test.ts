import { beforeAll, describe, expect, it } from "vitest";
import { createTestApp, type TestApp } from "../support/app";
import { rawRun } from "../support/raw-sql";
import { html as escaped, tr } from "../support/locales";

let app: TestApp;
let cookie: string;
beforeAll(async () => {
  app = await createTestApp();
  cookie = await app.signIn("demo-customer-1");
});

const LANGS = [
  ["en", "ltr"],
  ["fr", "ltr"],
  ["de", "ltr"],
  ["ar", "rtl"],
] as const;

const PUBLIC_PAGES = ["", "/ai-systems", "/ai-systems/network-troubleshooter", "/me/concerns/new"];
const PRIVATE_PAGES = ["/me/interactions", "/me/preferences", "/me/concerns", "/me/data"];

describe("every customer page, in every language", () => {
  for (const [lang, dir] of LANGS) {
    it(`${lang}: public and signed-in pages render with <html lang="${lang}" dir="${dir}">`, async () => {
      for (const page of [...PUBLIC_PAGES, ...PRIVATE_PAGES]) {
        const response = await app.request(`/${lang}${page}`, { cookie });
        expect(response.status, `${lang}${page}`).toBe(200);
        const html = await response.text();
        expect(html, page).toContain(`<html lang="${lang}" dir="${dir}"`);
        expect(html, page).not.toMatch(/\b(errors|nav|layout|home|register)\.[a-zA-Z]+\b(?![^<]*>)/);
      }
    });
  }

  it("signed-out visitors to private pages get a translated 401 that says how to get in", async () => {
    for (const page of PRIVATE_PAGES) {
      const response = await app.request(`/fr${page}`);
      expect(response.status).toBe(401);
      expect(await response.text()).toContain(escaped(tr("fr", "errors.signedOutTitle")));
    }
  });

  it("sends / to the visitor's language, by Accept-Language", async () => {
    const de = await app.request("/", { headers: { "Accept-Language": "de-AT,de;q=0.9,en;q=0.5" } });
    expect(de.status).toBe(302);
    expect(de.headers.get("Location")).toBe("/de");
    const fallback = await app.request("/", { headers: { "Accept-Language": "ja" } });
    expect(fallback.headers.get("Location")).toBe("/en");
  });

  it("negotiates past languages Candor lacks, honouring q-values and regional variants (issue 7.9)", async () => {
    const cases = [
      ["ja,fr", "/fr"],
      ["nb-NO,nb;q=0.9,sv;q=0.8,de;q=0.5", "/sv"],
      ["pt-BR,pt;q=0.9,de;q=0.8", "/pt"],
      ["fr-CA", "/fr"],
      ["en;q=0.1, ar-EG;q=0.8, ja", "/ar"],
      ["de;q=0, fr;q=0.3", "/fr"],
      ["uk-UA, ru;q=0.9", "/uk"],
    ] as const;
    for (const [header, location] of cases) {
      const response = await app.request("/", { headers: { "Accept-Language": header } });
      expect(response.headers.get("Location"), header).toBe(location);
    }
    // Pages without a language in the URL negotiate the same way: a link page, the staff sign-in.
    const link = await app.request("/l/no-such-link", { headers: { "Accept-Language": "ru, ko;q=0.9, de;q=0.8" } });
    expect(link.status).toBe(404);
    expect(await link.text()).toContain('<html lang="de"');
    // The console negotiates among its own languages: Finnish is a customer language only.
    const login = await app.request("/staff/login", { headers: { "Accept-Language": "fi,fr" } });
    expect(await login.text()).toContain('<html lang="fr"');
    // A regional variant in the URL is the same page in its language; a link page's ?lang= too.
    const regional = await app.request("/fr-CA/ai-systems?x=1");
    expect(regional.status).toBe(302);
    expect(regional.headers.get("Location")).toBe("/fr/ai-systems?x=1");
    const linkLang = await app.request("/l/no-such-link?lang=de-CH");
    expect(await linkLang.text()).toContain('<html lang="de"');
  });

  it("unknown pages and languages are translated 404s", async () => {
    const unknownSystem = await app.request("/de/ai-systems/no-such-thing");
    expect(unknownSystem.status).toBe(404);
    expect(await unknownSystem.text()).toContain(escaped(tr("de", "errors.notFoundTitle")));
    const unknownLang = await app.request("/xx/ai-systems", { headers: { "Accept-Language": "ar" } });
    expect(unknownLang.status).toBe(404);
    const deep = await app.request("/ar/this/does/not/exist");
    expect(deep.status).toBe(404);
    expect(await deep.text()).toContain('dir="rtl"');
  });

  it("sets the security headers of SPEC §9 with a per-request CSP nonce", async () => {
    const a = await app.request("/en");
    const b = await app.request("/en");
    const csp = a.headers.get("Content-Security-Policy")!;
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]+'/);
    expect(csp).not.toContain("unsafe-inline");
    expect(csp).not.toBe(b.headers.get("Content-Security-Policy"));
    expect(a.headers.get("X-Content-Type-Options")).toBe("nosniff");
    expect(a.headers.get("Referrer-Policy")).toBe("no-referrer");
    expect(a.headers.get("Permissions-Policy")).toContain("camera=()");
    const nonce = csp.match(/'nonce-([^']+)'/)![1];
    const html = await a.text();
    expect(html).toContain(`nonce="${nonce}"`);
  });

  it("shows the register's two layers and a visible English fallback for untranslated texts", async () => {
    const html = await (await app.request("/en/ai-systems/offer-predictor")).text();
    for (const heading of ["Purpose", "Human oversight", "Change history", "Risk class and why", "Provider"]) expect(html).toContain(heading);
    (await rawRun(app.services.database, "delete from ai_system_texts where lang = 'fr' and system_id = (select id from ai_systems where slug = 'offer-predictor')"));
    const fr = await (await app.request("/fr/ai-systems/offer-predictor")).text();
    expect(fr).toContain(escaped(tr("fr", "register.shownInEnglish")));
    expect(fr).toContain('lang="en"');
  });

  it("shows each interaction's AI involvement and the decision checks made for it", async () => {
    const html = await (await app.request("/en/me/interactions", { cookie })).text();
    expect(html).toMatch(/Acted on your account|Answered|Drafted a reply/);
    expect(html).toContain("What happened, step by step");
    expect(html).toContain("Raise a concern about this");
  });
});
