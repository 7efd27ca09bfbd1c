/**
 * The demo's customer-facing texts exist in every language (issue 12): db/demo-content/en.json is
 * what the seed modules hold in English (regenerate with `npm run demo-content`), and each language
 * not written in the seed modules has a file with every text, in the English shape, with the same
 * placeholders, none left in English; applying them gives every record every language.
 */
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { applyDemoTranslations, DEMO_CONTENT_DIR, demoContentTree, demoTextRecords, SOURCE_LANGUAGES } from "../../db/demo-content";
import { LANGUAGES } from "../../app/utils/languages";

type Tree = { [key: string]: string | Tree };
const leaves = (tree: Tree, prefix = ""): Record<string, string> =>
  Object.fromEntries(Object.entries(tree).flatMap(([k, v]) => (typeof v === "string" ? [[`${prefix}${k}`, v]] : Object.entries(leaves(v, `${prefix}${k}.`)))));
const read = (lang: string) => JSON.parse(fs.readFileSync(path.join(DEMO_CONTENT_DIR, `${lang}.json`), "utf8")) as Tree;
const placeholders = (text: string) => [...text.matchAll(/\{\{\s*([\w.]+)[^}]*\}\}/g)].map((m) => m[1]).sort();

it("en.json is the seed modules' English (run `npm run demo-content` after changing a demo text)", () => {
  expect(read("en")).toEqual(demoContentTree("en"));
});

const english = leaves(read("en"));
const translated = LANGUAGES.filter((l) => !(SOURCE_LANGUAGES as readonly string[]).includes(l));

describe.each(translated)("demo content in %s", (lang) => {
  it("has every text, and none English lacks, with the same placeholders, none left in English", () => {
    const own = leaves(read(lang));
    expect(Object.keys(english).filter((k) => !(k in own)), "missing").toEqual([]);
    expect(Object.keys(own).filter((k) => !(k in english)), "unknown").toEqual([]);
    expect(Object.entries(own).filter(([k, v]) => JSON.stringify(placeholders(v)) !== JSON.stringify(placeholders(english[k] ?? ""))).map(([k]) => k), "placeholders").toEqual([]);
    expect(Object.entries(own).filter(([k, v]) => !v.trim() || (v === english[k] && v.split(" ").length > 2)).map(([k]) => k), "empty or English").toEqual([]);
  });
});

it("applying the files gives every demo text every language", () => {
  applyDemoTranslations();
  const incomplete = [...demoTextRecords()].flatMap(([key, record]) => LANGUAGES.filter((l) => record[l] === undefined).map((l) => `${key} ${l}`));
  expect(incomplete).toEqual([]);
});
