/**
 * The locale files (SPEC §8, issue 12): every language has every customer-facing key and the staff
 * languages every console key; the same placeholders as English; every plural category
 * `Intl.PluralRules` gives the language, each picked for a real number of that category; and no
 * text left identical to English unless listed in locales/same-as-english.json (names, codes,
 * words the language shares with English).
 */
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { leaf, translate, type MessageTree } from "../../app/utils/i18n";
import { CUSTOMER_NAMESPACES, LANGUAGES, STAFF_LANGUAGES } from "../../app/utils/languages";

type Tree = { [key: string]: string | Tree };

function flatten(tree: Tree, prefix = ""): Record<string, string> {
  return Object.entries(tree).reduce<Record<string, string>>((all, [key, value]) => {
    const full = prefix ? `${prefix}.${key}` : key;
    return typeof value === "string" ? { ...all, [full]: value } : { ...all, ...flatten(value, full) };
  }, {});
}

const localesDir = path.resolve("locales");
const trees = (lang: string): Record<string, Tree> =>
  Object.fromEntries(
    fs
      .readdirSync(path.join(localesDir, lang))
      .filter((f) => f.endsWith(".json"))
      .map((f) => [f.replace(/\.json$/, ""), JSON.parse(fs.readFileSync(path.join(localesDir, lang, f), "utf8")) as Tree]),
  );
const load = (lang: string) => Object.fromEntries(Object.entries(trees(lang)).map(([ns, tree]) => [ns, flatten(tree)]));

const splitPlural = (key: string) => {
  const match = key.match(/^(.*)_(zero|one|two|few|many|other)$/);
  return match ? { base: match[1]!, form: match[2]! } : { base: key, form: null };
};
const placeholders = (text: string) => [...new Set([...text.matchAll(/\{\{\s*([\w.]+)[^}]*\}\}/g)].map((m) => m[1]!))].sort();

const english = load("en");
const STAFF_NAMESPACES = Object.keys(english).filter((ns) => !(CUSTOMER_NAMESPACES as readonly string[]).includes(ns));
const sameAsEnglish = JSON.parse(fs.readFileSync(path.join(localesDir, "same-as-english.json"), "utf8")) as Record<string, string[]>;

/** Numbers to try per plural category: integers first (what counts are), then fractions and large numbers. */
const CANDIDATE_NUMBERS = [...Array.from({ length: 201 }, (_, i) => i), 1000, 1001, 10000, 100000, 1000000, 2000000, 0.5, 1.5, 2.5, 0.1];
function numberFor(lang: string, category: string): number {
  const rules = new Intl.PluralRules(lang);
  const n = CANDIDATE_NUMBERS.find((c) => rules.select(c) === category);
  if (n === undefined) throw new Error(`No sample number for ${lang} ${category}`);
  return n;
}

it("English has both plural forms it needs wherever it pluralises", () => {
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

it("customer pages, embeds and their components read only the customer namespaces (the ones every language has)", () => {
  expect(CUSTOMER_NAMESPACES.every((ns) => ns in english)).toBe(true);
  const customerCode = [
    ...["app/routes/portal", "app/routes/embed"].flatMap((dir) => fs.readdirSync(dir).map((f) => path.join(dir, f))),
    ...fs.readdirSync("app/components").filter((f) => /\.tsx?$/.test(f)).map((f) => path.join("app/components", f)),
    "app/routes/link.tsx",
    "app/root.tsx",
  ].filter((f) => /\.tsx?$/.test(f));
  expect(customerCode.length).toBeGreaterThan(40);
  const used = new Map<string, string>();
  for (const file of customerCode) {
    for (const match of fs.readFileSync(file, "utf8").matchAll(/\bt\(\s*[`"']([a-zA-Z]+):/g)) used.set(match[1]!, file);
  }
  const outside = [...used].filter(([ns]) => !(CUSTOMER_NAMESPACES as readonly string[]).includes(ns)).map(([ns, file]) => `${ns} (${file})`);
  expect(outside).toEqual([]);
  expect(STAFF_NAMESPACES).not.toContain("common");
});

describe.each(LANGUAGES.filter((l) => l !== "en"))("locale %s", (lang) => {
  const locale = load(lang);
  const pluralForms = new Intl.PluralRules(lang).resolvedOptions().pluralCategories;
  const isStaffLanguage = (STAFF_LANGUAGES as readonly string[]).includes(lang);
  const required = isStaffLanguage ? Object.keys(english) : [...CUSTOMER_NAMESPACES];

  it(`has every ${isStaffLanguage ? "namespace (a staff language)" : "customer namespace"} and none English lacks`, () => {
    expect(required.filter((ns) => !(ns in locale)), "missing namespaces").toEqual([]);
    expect(Object.keys(locale).filter((ns) => !(ns in english)), "unknown namespaces").toEqual([]);
  });

  // A namespace file that exists must be whole, even where the language does not need it yet.
  for (const ns of Object.keys(english).filter((n) => required.includes(n) || n in locale)) {
    it(`${ns}: has every key (with the plural forms ${lang} needs) and no extra ones`, () => {
      const expected = new Set<string>();
      for (const key of Object.keys(english[ns]!)) {
        const { base, form } = splitPlural(key);
        if (form) for (const f of pluralForms) expected.add(`${base}_${f}`);
        else expected.add(key);
      }
      const actual = new Set(Object.keys(locale[ns] ?? {}));
      expect([...expected].filter((k) => !actual.has(k)), "missing keys").toEqual([]);
      expect([...actual].filter((k) => !expected.has(k)), "unexpected keys").toEqual([]);
    });

    it(`${ns}: keeps every placeholder, and nothing is empty`, () => {
      const mismatches: string[] = [];
      for (const [key, value] of Object.entries(locale[ns] ?? {})) {
        const { base, form } = splitPlural(key);
        const source = english[ns]![key] ?? english[ns]![`${base}_other`] ?? "";
        const sourcePlaceholders = placeholders(source).filter((p) => !(form && p === "count"));
        const own = placeholders(value).filter((p) => !(form && p === "count"));
        if (JSON.stringify(own) !== JSON.stringify(sourcePlaceholders)) mismatches.push(key);
        if (!value.trim()) mismatches.push(`${key} (empty)`);
      }
      expect(mismatches).toEqual([]);
    });

    it(`${ns}: no text is left in English unless listed as intentional`, () => {
      const allowed = new Set([...(sameAsEnglish[lang] ?? []), ...(sameAsEnglish["*"] ?? [])]);
      const identical = Object.entries(locale[ns] ?? {})
        .filter(([key, value]) => value === english[ns]![key] && /\p{L}{2}/u.test(value.replace(/\{\{[^}]*\}\}/g, "")))
        .map(([key]) => `${ns}:${key}`)
        .filter((key) => !allowed.has(key));
      expect(identical).toEqual([]);
    });
  }

  it(`picks each of ${lang}'s plural categories (${pluralForms.join(", ")}) for a number of that category`, () => {
    const messages = trees(lang);
    const lookup = (code: string, ns: string, key: string) => (code === lang ? leaf(messages[ns] as MessageTree, key) : leaf(trees("en")[ns] as MessageTree, key));
    let checked = 0;
    for (const ns of required) {
      for (const key of Object.keys(locale[ns] ?? {})) {
        const { base, form } = splitPlural(key);
        if (!form || (form === "zero" && !pluralForms.includes("zero"))) continue;
        const n = numberFor(lang, form);
        const written = translate(lookup, lang, `${ns}:${base}`, { count: n });
        const expected = locale[ns]![key]!.replace(/\{\{\s*count\s*\}\}/g, String(n));
        expect(written, `${ns}:${base} with ${n} (${form})`).toBe(expected);
        checked += 1;
      }
    }
    expect(checked).toBeGreaterThan(0);
  });
});

it("every language listed as allowed to match English exists, and every listed key too", () => {
  for (const [lang, keys] of Object.entries(sameAsEnglish)) {
    if (lang === "*") continue;
    expect((LANGUAGES as readonly string[]).includes(lang), lang).toBe(true);
    const locale = load(lang);
    for (const key of keys) {
      const [ns, k] = key.split(/:(.*)/s) as [string, string];
      expect(locale[ns]?.[k], `${lang} ${key}`).toBeDefined();
    }
  }
});
