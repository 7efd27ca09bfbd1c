/**
 * Pages render with one shared set of strings per language (app/middleware/i18n.server.ts) and a
 * translator of their own per request (app/utils/i18n.tsx): many requests in different languages
 * at once each get their own language, and each page carries exactly the strings its render used
 * (plus the validation messages of a form), for the browser to hydrate with.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { LANGUAGES } from "../../app/utils/languages";
import type { MessageTree } from "../../app/utils/i18n";
import { createTestApp, type TestApp } from "../support/app";
import { html, tr } from "../support/locales";

let app: TestApp;
let cookie: string;
beforeAll(async () => {
  app = await createTestApp();
  cookie = await app.signIn("demo-customer-1");
});

const LANGS = LANGUAGES;

/** The strings a page carries, flat (`"ns:a.b"` → text). */
function pageMessages(page: string): { lang: string; messages: Record<string, string> } {
  const match = /<script id="page-messages" type="application\/json"[^>]*>([\s\S]*?)<\/script>/.exec(page);
  if (!match) throw new Error("The page carries no messages");
  const carried = JSON.parse(match[1]!) as { lang: string; messages: Record<string, MessageTree> };
  const messages: Record<string, string> = {};
  const walk = (ns: string, tree: MessageTree, prefix: string) => {
    for (const [key, value] of Object.entries(tree)) {
      if (typeof value === "string") messages[`${ns}:${prefix}${key}`] = value;
      else walk(ns, value, `${prefix}${key}.`);
    }
  };
  for (const [ns, tree] of Object.entries(carried.messages)) walk(ns, tree, "");
  return { lang: carried.lang, messages };
}

describe("page translations", () => {
  it("answers many concurrent requests each in its own language", async () => {
    const requests = Array.from({ length: 3 * LANGS.length }, (_, i) => {
      const lang = LANGS[i % LANGS.length]!;
      const path = [`/${lang}`, `/${lang}/ai-systems`, `/${lang}/me/preferences`][Math.floor(i / LANGS.length)]!;
      return { lang, path };
    });
    const pages = await Promise.all(
      requests.map(async ({ lang, path }) => {
        const response = await app.request(path, { cookie });
        return { lang, path, status: response.status, page: await response.text() };
      }),
    );
    for (const { lang, path, status, page } of pages) {
      expect(status, path).toBe(200);
      expect(page, path).toContain(`<html lang="${lang}" dir="${lang === "ar" ? "rtl" : "ltr"}"`);
      expect(page, path).toContain(html(tr(lang, "nav.overview")));
      const carried = pageMessages(page);
      expect(carried.lang).toBe(lang);
      expect(carried.messages["common:nav.overview"]).toBe(tr(lang, "nav.overview"));
      // Nothing of another language: every carried string is this language's.
      for (const other of LANGS.filter((l) => l !== lang && tr(l, "nav.overview") !== tr(lang, "nav.overview"))) expect(carried.messages["common:nav.overview"]).not.toBe(tr(other, "nav.overview"));
    }
  });

  it("carries the strings a page rendered, not the whole namespace", async () => {
    const page = await (await app.request("/fr/ai-systems")).text();
    const { messages } = pageMessages(page);
    expect(messages["common:register.title"]).toBe(tr("fr", "register.title"));
    expect(messages["common:layout.footer"]).toBe(tr("fr", "layout.footer"));
    // The register does not show the choices page's texts, nor validation messages.
    expect(messages["common:preferences.title"]).toBeUndefined();
    expect(Object.keys(messages).some((key) => key.startsWith("common:errors."))).toBe(false);
    expect(Object.keys(messages).length).toBeLessThan(150);
  });

  it("carries every validation message of a form, for checks made in the browser", async () => {
    const page = await (await app.request("/de/me/preferences", { cookie })).text();
    const { messages } = pageMessages(page);
    expect(messages["common:errors.chooseOne"]).toBe(tr("de", "errors.chooseOne"));
    expect(messages["common:preferences.limits.errors.amountProblem.notNumber"]).toBe(tr("de", "preferences.limits.errors.amountProblem.notNumber"));
  });

  it("keeps the carried strings inside their script element", async () => {
    const page = await (await app.request("/en", { cookie })).text();
    const script = /<script id="page-messages"[^>]*>([\s\S]*?)<\/script>/.exec(page)![1]!;
    expect(script).not.toMatch(/<\/?script/i);
    expect(script).not.toContain("<!--");
  });
});
