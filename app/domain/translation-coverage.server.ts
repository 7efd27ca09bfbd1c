/**
 * Which customer-facing content exists in which language (SPEC §8, issue 12 "content fallback"):
 * the AI register's texts per system, the current notice of each choice, and the canned replies
 * per key. A language missing here is shown to customers in English with a translated note
 * (the register, the choices page) or is not offered (a canned reply), so staff see what to add.
 */
import { DEFAULT_LANG, LANGUAGES, type Lang } from "../utils/languages";
import type { Db } from "../utils/db.server";
import { listRegisterForStaff } from "./ai-register-editor.server";
import { listEditorChoices } from "./choice-editor.server";
import { listCannedReplies } from "./concerns/canned-replies.server";

export interface CoverageRow {
  /** Slug (systems), choice key (notices) or canned-reply key. */
  key: string;
  /** A readable name in the reader's language, else English, else the key. */
  name: string;
  nameLang: string | null;
  /** The shipped languages this item has no text in, in LANGUAGES order. */
  missing: Lang[];
}

export interface TranslationCoverage {
  languages: readonly Lang[];
  systems: CoverageRow[];
  /** Each choice's current notice version (`version`), which is what customers are shown. */
  notices: (CoverageRow & { version: number })[];
  cannedReplies: CoverageRow[];
}

/**
 * The translation coverage of every AI system (any status), every choice's current notice and
 * every canned-reply key, named in `lang` (English fallback). Reads three small tables whole
 * (tens of rows: systems, choices and canned replies are written by staff, not by customers).
 */
export async function translationCoverage(db: Db, lang: string): Promise<TranslationCoverage> {
  const [systems, choices, replies] = await Promise.all([listRegisterForStaff(db, lang), listEditorChoices(db), listCannedReplies(db)]);
  const missingFrom = (present: (l: Lang) => boolean) => LANGUAGES.filter((l) => !present(l));
  const repliesByKey = new Map<string, typeof replies>();
  for (const reply of replies) repliesByKey.set(reply.key, [...(repliesByKey.get(reply.key) ?? []), reply]);
  return {
    languages: LANGUAGES,
    systems: systems.map((s) => ({
      key: s.slug,
      name: s.name,
      nameLang: s.nameLang,
      missing: s.languages.filter((l) => !l.present).map((l) => l.lang),
    })),
    notices: choices.map((c) => {
      const own = c.texts[lang as Lang] ? (lang as Lang) : c.texts[DEFAULT_LANG] ? DEFAULT_LANG : null;
      return { key: c.key, name: own ? c.texts[own]!.label : c.key, nameLang: own, version: c.noticeVersion, missing: missingFrom((l) => Boolean(c.texts[l])) };
    }),
    cannedReplies: [...repliesByKey].map(([key, texts]) => {
      const own = texts.find((r) => r.lang === lang) ?? texts.find((r) => r.lang === DEFAULT_LANG) ?? null;
      return { key, name: own?.title ?? key, nameLang: own?.lang ?? null, missing: missingFrom((l) => texts.some((r) => r.lang === l)) };
    }),
  };
}
