import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { LANGUAGES } from "../../app/utils/languages";

type Tree = { [key: string]: string | Tree };

function flatten(tree: Tree, prefix = ""): Record<string, string> {
  return Object.entries(tree).reduce<Record<string, string>>((all, [key, value]) => {
    const full = prefix ? `${prefix}.${key}` : key;
    return typeof value === "string" ? { ...all, [full]: value } : { ...all, ...flatten(value, full) };
  }, {});
}

function load(lang: string) {
  const dir = path.resolve("locales", lang);
  const namespaces = fs.readdirSync(dir).filter((f) => f.endsWith(".json"));
  return Object.fromEntries(namespaces.map((ns) => [ns, flatten(JSON.parse(fs.readFileSync(path.join(dir, ns), "utf8")) as Tree)]));
}

const splitPlural = (key: string) => {
  const match = key.match(/^(.*)_(zero|one|two|few|many|other)$/);
  return match ? { base: match[1]!, form: match[2]! } : { base: key, form: null };
};
const placeholders = (text: string) => [...text.matchAll(/\{\{\s*([\w.]+)[^}]*\}\}/g)].map((m) => m[1]).sort();

const english = load("en");

describe.each(LANGUAGES.filter((l) => l !== "en"))("locale %s", (lang) => {
  const locale = load(lang);
  const pluralForms = new Intl.PluralRules(lang).resolvedOptions().pluralCategories;

  it("has every namespace", () => {
    expect(Object.keys(locale).sort()).toEqual(Object.keys(english).sort());
  });

  for (const [ns, keys] of Object.entries(english)) {
    it(`${ns}: has every key (with the plural forms ${lang} needs) and no extra ones`, () => {
      const expected = new Set<string>();
      for (const key of Object.keys(keys)) {
        const { base, form } = splitPlural(key);
        if (form) for (const f of pluralForms) expected.add(`${base}_${f}`);
        else expected.add(key);
      }
      const actual = new Set(Object.keys(locale[ns] ?? {}));
      expect([...expected].filter((k) => !actual.has(k)), "missing keys").toEqual([]);
      expect([...actual].filter((k) => !expected.has(k)), "unexpected keys").toEqual([]);
    });

    it(`${ns}: keeps every placeholder`, () => {
      const mismatches: string[] = [];
      for (const [key, value] of Object.entries(locale[ns] ?? {})) {
        const { base, form } = splitPlural(key);
        const source = english[ns]![key] ?? english[ns]![`${base}_other`] ?? "";
        const sourcePlaceholders = placeholders(source).filter((p) => !(form && p === "count"));
        const own = placeholders(value).filter((p) => !(form && p === "count"));
        if (JSON.stringify([...new Set(own)]) !== JSON.stringify([...new Set(sourcePlaceholders)])) mismatches.push(key);
        if (!value.trim()) mismatches.push(`${key} (empty)`);
      }
      expect(mismatches).toEqual([]);
    });
  }
});

describe("English source", () => {
  it("has both plural forms English needs wherever it pluralises", () => {
    for (const keys of Object.values(english)) {
      for (const key of Object.keys(keys)) {
        const { base, form } = splitPlural(key);
        if (form) {
          expect(keys[`${base}_one`], `${base}_one`).toBeDefined();
          expect(keys[`${base}_other`], `${base}_other`).toBeDefined();
        }
      }
    }
  });
});
