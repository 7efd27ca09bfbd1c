/**
 * The demo's customer-facing texts in every language Candor ships (SPEC §8): the AI register
 * (five systems, their version notes, data-sharing and fairness texts, audit summaries), the
 * choices' notice texts and change notes, the confirmation texts the demo agents send, the
 * canned replies, and the names of the authorities every outcome names.
 *
 * The seed modules hold each text in English, French, German and Arabic, next to the data it
 * belongs to. Every other language lives in `db/demo-content/<lang>.json`: one tree per language
 * whose keys are the paths `demoTextRecords()` names (`aiSystems.chat-assistant.texts.name`,
 * `choices.plan-changes.notices.1.texts.label`…). `db/demo-content/en.json` is the English source
 * for translators, written by `npm run demo-content` and checked by test/unit/demo-content.test.ts
 * to match the seed modules. `applyDemoTranslations()` adds the JSON languages to the seed
 * modules' records before the demo is seeded; a language without a file (or a text missing in
 * one) is simply not seeded, and the portal shows that text in English with its fallback note.
 */
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { LANGUAGES } from "../app/utils/languages";
import { AI_SYSTEMS, CHOICES, DEMO_CANNED_REPLIES } from "./seed-data";
import { AUDITS } from "./seed-audits";
import { PERMISSION_TEXTS } from "./seed-permission";
import { REGISTER_DATA } from "./seed-register-data";
import { DEMO_AUTHORITIES, OUTREACH_ADDITION, OUTREACH_NOTE } from "./seed-settings";

/** A text per language: a string, or an object of strings (a system's texts, a notice's label and explanation). */
type LanguageRecord = Record<string, unknown>;

/** The languages written in the seed modules themselves; the others come from JSON files. */
export const SOURCE_LANGUAGES = ["en", "fr", "de", "ar"] as const;

/** Where the translated demo texts are: `db/demo-content/<lang>.json`. */
export const DEMO_CONTENT_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), "demo-content");

/**
 * Every translatable demo text as `path → the seed module's per-language record` (the live object,
 * so adding a language to it adds it to the seed). Paths are dot-separated and stable: slugs, keys
 * and notice versions, or positions in a list that only grows at its end.
 */
export function demoTextRecords(): Map<string, LanguageRecord> {
  const records = new Map<string, LanguageRecord>();
  for (const system of AI_SYSTEMS) {
    records.set(`aiSystems.${system.slug}.texts`, system.texts);
    system.versions.forEach((version, i) => records.set(`aiSystems.${system.slug}.versions.${i}.changeNote`, version.changeNote));
  }
  for (const data of REGISTER_DATA) records.set(`aiSystems.${data.slug}.data`, data.texts);
  for (const { slug, audits } of AUDITS) {
    audits.forEach((audit, i) => records.set(`aiSystems.${slug}.audits.${i}.summary`, audit.summaries));
  }
  for (const choice of CHOICES) {
    for (const notice of choice.notices) {
      records.set(`choices.${choice.key}.notices.${notice.version}.texts`, notice.texts);
      if (notice.changeNote) records.set(`choices.${choice.key}.notices.${notice.version}.changeNote`, notice.changeNote);
    }
  }
  records.set("choices.proactive-outreach.maintenanceUpdate.addition", OUTREACH_ADDITION);
  records.set("choices.proactive-outreach.maintenanceUpdate.changeNote", OUTREACH_NOTE);
  // What the demo's AI agents ask customers to confirm; the interaction subjects beside them are Alex's own records, in his language only.
  for (const key of ["routerSummary", "splitSummary", "paymentDateSummary"] as const) records.set(`confirmations.${key}`, PERMISSION_TEXTS[key]);
  for (const reply of DEMO_CANNED_REPLIES) records.set(`cannedReplies.${reply.key}`, reply.texts);
  // The authorities named in every outcome (SPEC §12): their names in each language.
  for (const [key, authority] of Object.entries(DEMO_AUTHORITIES)) records.set(`authorities.${key}`, authority.names);
  return records;
}

type Tree = { [key: string]: string | Tree };

/** The demo texts of one language as a nested tree (the shape of `db/demo-content/<lang>.json`); texts the language lacks are left out. */
export function demoContentTree(lang: string): Tree {
  const tree: Tree = {};
  for (const [key, record] of demoTextRecords()) {
    const value = record[lang];
    if (value === undefined) continue;
    const parts = key.split(".");
    let node = tree;
    for (const part of parts.slice(0, -1)) node = (node[part] ??= {}) as Tree;
    node[parts.at(-1)!] = value as string | Tree;
  }
  return tree;
}

function subtree(tree: Tree | undefined, key: string): unknown {
  let node: unknown = tree;
  for (const part of key.split(".")) node = node && typeof node === "object" ? (node as Tree)[part] : undefined;
  return node;
}

/** A translation fits its English record when it has the same shape: a string for a string, the same fields (all strings) for an object. */
function fits(english: unknown, translation: unknown): boolean {
  if (typeof english === "string") return typeof translation === "string" && translation.trim() !== "";
  if (!english || typeof english !== "object" || !translation || typeof translation !== "object") return false;
  return Object.keys(english).every((field) => typeof (translation as Tree)[field] === "string" && ((translation as Tree)[field] as string).trim() !== "");
}

let applied = false;

/**
 * Adds each shipped language's `db/demo-content/<lang>.json` texts to the seed modules' records
 * (once per process; the source languages are never overwritten). A text that is missing or
 * does not have the English shape is skipped, so the demo shows the English fallback for it.
 * Returns how many texts were added per language. Throws only when a file is not valid JSON.
 */
export function applyDemoTranslations(dir = DEMO_CONTENT_DIR): Record<string, number> {
  const added: Record<string, number> = {};
  if (applied) return added;
  applied = true;
  const records = demoTextRecords();
  for (const lang of LANGUAGES) {
    if ((SOURCE_LANGUAGES as readonly string[]).includes(lang)) continue;
    const file = path.join(dir, `${lang}.json`);
    if (!fs.existsSync(file)) continue;
    const tree = JSON.parse(fs.readFileSync(file, "utf8")) as Tree;
    added[lang] = 0;
    for (const [key, record] of records) {
      const translation = subtree(tree, key);
      if (!fits(record.en, translation)) continue;
      record[lang] = translation;
      added[lang] += 1;
    }
  }
  return added;
}

/** `npm run demo-content`: writes the English source `db/demo-content/en.json` from the seed modules. */
if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  fs.mkdirSync(DEMO_CONTENT_DIR, { recursive: true });
  fs.writeFileSync(path.join(DEMO_CONTENT_DIR, "en.json"), JSON.stringify(demoContentTree("en"), null, 2) + "\n");
  console.log(`wrote ${path.join(DEMO_CONTENT_DIR, "en.json")}`);
}
