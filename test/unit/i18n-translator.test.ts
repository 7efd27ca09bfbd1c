/**
 * The pages' translator (app/utils/i18n.tsx) answers exactly as i18next does, for every key of
 * every namespace of every shipped language: plural forms (Arabic's six, `_zero` for 0), every
 * placeholder filled, unknown keys, default values, the English fallback.
 */
import fs from "node:fs";
import path from "node:path";
import i18next from "i18next";
import { describe, expect, it } from "vitest";
import { createTranslator, leaf, translate, type MessageTree } from "../../app/utils/i18n";
import { LANGUAGES } from "../../app/utils/languages";

const localesDir = path.resolve("locales");
const resources: Record<string, Record<string, MessageTree>> = Object.fromEntries(
  LANGUAGES.map((lang) => [
    lang,
    Object.fromEntries(
      fs.readdirSync(path.join(localesDir, lang)).map((file) => [file.replace(/\.json$/, ""), JSON.parse(fs.readFileSync(path.join(localesDir, lang, file), "utf8")) as MessageTree]),
    ),
  ]),
);
const lookup = (lang: string, ns: string, key: string) => leaf(resources[lang]?.[ns], key);

/** Every leaf key of a tree, with plural suffixes folded into their base key. */
function baseKeys(tree: MessageTree, prefix = ""): string[] {
  return Object.entries(tree).flatMap(([key, value]) =>
    typeof value === "string" ? [`${prefix}${key}`.replace(/_(zero|one|two|few|many|other)$/, "")] : baseKeys(value, `${prefix}${key}.`),
  );
}

async function reference(lang: string) {
  const instance = i18next.createInstance();
  await instance.init({ resources, lng: lang, fallbackLng: "en", ns: Object.keys(resources.en!), defaultNS: "common", interpolation: { escapeValue: false } });
  return instance;
}

describe("the pages' translator", () => {
  for (const lang of LANGUAGES) {
    it(`answers as i18next for every key in ${lang}`, async () => {
      const i18n = await reference(lang);
      let compared = 0;
      for (const [ns, tree] of Object.entries(resources[lang]!)) {
        for (const key of new Set(baseKeys(tree))) {
          const full = ns === "common" ? key : `${ns}:${key}`;
          // Every placeholder the key's texts use, filled; then each count form.
          const placeholders = Object.fromEntries(
            [...JSON.stringify(resources.en![ns]).matchAll(/\{\{\s*([\w.]+)\s*\}\}/g)].map((m) => [m[1]!, `«${m[1]}»`]),
          );
          for (const options of [undefined, placeholders, ...[0, 1, 2, 3, 5, 11, 100, 1.5].map((count) => ({ ...placeholders, count }))]) {
            expect(translate(lookup, lang, full, options), `${lang} ${full} ${JSON.stringify(options)}`).toBe(i18n.t(full, options));
            compared++;
          }
        }
      }
      expect(compared).toBeGreaterThan(1000);
    });
  }

  it("answers unknown keys, default values and the English fallback as i18next", async () => {
    const i18n = await reference("fr");
    const partial = { ...resources, fr: { common: { only: "seulement {{x}}" } } };
    const i18nPartial = i18next.createInstance();
    await i18nPartial.init({ resources: partial, lng: "fr", fallbackLng: "en", defaultNS: "common", interpolation: { escapeValue: false } });
    const partialLookup = (lang: string, ns: string, key: string) => leaf((partial as Record<string, Record<string, MessageTree>>)[lang]?.[ns], key);
    for (const [key, options] of [
      ["no.such.key", undefined],
      ["queue:no.such.key", undefined],
      ["no.such.key", { defaultValue: "D {{n}}", n: 3 }],
      ["errors.required", { defaultValue: "unused" }],
      ["only", {}],
      ["only", { x: 1 }],
    ] as const) {
      expect(translate(lookup, "fr", key, options)).toBe(i18n.t(key, options));
    }
    // Keys French lacks come in English.
    const english = baseKeys(resources.en!.common!).slice(0, 50);
    for (const key of english) expect(translate(partialLookup, "fr", key, { count: 2 })).toBe(i18nPartial.t(key, { count: 2 }));
  });

  it("records what a render used, so the page can carry it, and carries whole sections on request", () => {
    const section = { "common:errors.required": "Pflicht", "common:home.title": "x" };
    const translator = createTranslator("de", lookup, {
      record: true,
      entriesUnder: (_lang, prefix) => Object.fromEntries(Object.entries(section).filter(([key]) => key.startsWith(prefix))),
    });
    translator.t("nav.overview");
    translator.t("concernForm.count", { count: 1, max: 10 });
    translator.carry("common:errors.");
    const used = translator.used();
    expect(used["common:nav.overview"]).toBe(leaf(resources.de!.common, "nav.overview"));
    expect(Object.keys(used).some((k) => k.startsWith("common:concernForm.count_"))).toBe(true);
    expect(used["common:errors.required"]).toBe("Pflicht");
    expect(used["common:home.title"]).toBeUndefined();
  });
});
