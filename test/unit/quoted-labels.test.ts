/**
 * Quoted option labels (issue 12): wherever a customer text quotes one of the answers a customer
 * can pick («Allowed», «Ask me first», «Never», «Yes», «No»), it must quote it exactly as the radio
 * button shows it (`common.json` → `choiceValues`), so the customer can find it on the page. A trial
 * found «Permitida» in a text while the button says «Permitido». Checked in every language's
 * `locales/<lang>/common.json` and demo content (`db/demo-content/<lang>.json`, or the seed modules
 * for the source languages). A quoted phrase "names" a label when it equals it ignoring case, or
 * differs from it only in its last one or two letters (a gender or number ending).
 */
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { LANGUAGES } from "../../app/utils/languages";
import { SOURCE_LANGUAGES, demoContentTree } from "../../db/demo-content";

type Tree = { [key: string]: string | Tree };

function flatten(tree: Tree, prefix = ""): Record<string, string> {
  const all: Record<string, string> = {};
  for (const [key, value] of Object.entries(tree)) {
    const full = prefix ? `${prefix}.${key}` : key;
    if (typeof value === "string") all[full] = value;
    else Object.assign(all, flatten(value, full));
  }
  return all;
}

/** Quotation marks in use across the 27 languages: « », » «, „ ” / „ “, “ ”, ” ”, " ", ‘ ’, ‚ ‘. */
const QUOTED = /«\s*([^«»]+?)\s*»|„([^„“”"]+)[“”"]|“([^“”„]+)”|”([^”]+)”|»([^»«]+)«|"([^"]+)"|‘([^‘’]+)’|‚([^‚‘’]+)[‘’]/g;

/** Every phrase inside quotation marks in a text (placeholders such as "{{system}}" left out). */
function quotedPhrases(text: string): string[] {
  return [...text.matchAll(QUOTED)]
    .map((match) => match.slice(1).find((group) => group !== undefined)!.trim())
    .filter((phrase) => phrase !== "" && !phrase.includes("{{"));
}

const letters = (text: string, lang: string) => Array.from(text.normalize("NFC").toLocaleLowerCase(lang));

/**
 * The label a quoted phrase names, or null: the phrase equals the label ignoring case, or both
 * share a stem of at least four letters and differ only in their last one or two letters.
 */
function namedLabel(phrase: string, labels: readonly string[], lang: string): string | null {
  const p = letters(phrase, lang);
  for (const label of labels) {
    const l = letters(label, lang);
    if (p.join("") === l.join("")) return label;
    let stem = 0;
    while (stem < p.length && stem < l.length && p[stem] === l[stem]) stem += 1;
    if (stem >= 4 && p.length - stem <= 2 && l.length - stem <= 2) return label;
  }
  return null;
}

function texts(lang: string): Record<string, string> {
  const common = JSON.parse(fs.readFileSync(path.resolve("locales", lang, "common.json"), "utf8")) as Tree;
  const demoFile = path.resolve("db/demo-content", `${lang}.json`);
  const demo: Tree = (SOURCE_LANGUAGES as readonly string[]).includes(lang)
    ? demoContentTree(lang)
    : fs.existsSync(demoFile)
      ? (JSON.parse(fs.readFileSync(demoFile, "utf8")) as Tree)
      : {};
  const all: Record<string, string> = {};
  for (const [key, value] of Object.entries(flatten(common))) all[`locales/${lang}/common.json ${key}`] = value;
  for (const [key, value] of Object.entries(flatten(demo))) all[`demo-content ${lang} ${key}`] = value;
  return all;
}

function choiceLabels(lang: string): string[] {
  const common = JSON.parse(fs.readFileSync(path.resolve("locales", lang, "common.json"), "utf8")) as Tree;
  return Object.values(common.choiceValues as Tree).filter((v): v is string => typeof v === "string");
}

describe("the quoted-label matcher", () => {
  it("finds phrases in every kind of quotation mark", () => {
    expect(quotedPhrases("a «Permitida» b „Permisă” c “Allowed” d „Erlaubt“ e »Tilladt« f ”Sallittu” g \"x\" h \"{{system}}\"")).toEqual([
      "Permitida", "Permisă", "Allowed", "Erlaubt", "Tilladt", "Sallittu", "x",
    ]);
  });

  it("counts other endings of a label as naming it, and unrelated phrases or short words as not", () => {
    const es = ["Permitido", "Preguntarme antes", "Nunca", "Sí", "No"];
    expect(namedLabel("Permitida", es, "es")).toBe("Permitido");
    expect(namedLabel("permitidas", es, "es")).toBe("Permitido");
    expect(namedLabel("Preguntarme antes", es, "es")).toBe("Preguntarme antes");
    expect(namedLabel("Nunca", es, "es")).toBe("Nunca");
    expect(namedLabel("menos de 5", es, "es")).toBeNull();
    expect(namedLabel("Na", es, "es")).toBeNull();
    expect(namedLabel("Permisă", ["Permis", "Da", "Nu"], "ro")).toBe("Permis");
  });

  it("sees the English texts quote the labels (the check below is not empty)", () => {
    const labels = choiceLabels("en");
    const named = Object.values(texts("en")).flatMap(quotedPhrases).filter((p) => namedLabel(p, labels, "en"));
    expect(named.length).toBeGreaterThan(20);
  });
});

describe.each(LANGUAGES)("language %s", (lang) => {
  it("quotes every answer exactly as its choiceValues label", () => {
    const labels = choiceLabels(lang);
    const wrong: string[] = [];
    for (const [where, text] of Object.entries(texts(lang))) {
      for (const phrase of quotedPhrases(text)) {
        const label = namedLabel(phrase, labels, lang);
        if (label !== null && phrase !== label) wrong.push(`${where}: "${phrase}" should be "${label}"`);
      }
    }
    expect(wrong).toEqual([]);
  });
});
