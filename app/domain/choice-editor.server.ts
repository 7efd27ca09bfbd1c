/**
 * The choice editor (SPEC §12 "Company settings … the choice editor"): what an admin changes
 * about the choices customers make — each choice's label and explanation per language (a new
 * notice version with a change note, which re-asks customers who chose under the old one, or a
 * wording fix that keeps the version), new action kinds, and each choice's default for customers
 * who never chose. Every change is audited in its own transaction.
 */
import { and, asc, eq } from "drizzle-orm";
import { choiceDefinitions, choiceNotices } from "../../db/schema";
import type { Db } from "../utils/db.server";
import { LANGUAGES, type Lang } from "../utils/languages";
import { appendAudit, type AuditActor } from "./audit.server";
import { InvalidChoiceError, isValidChoiceValue } from "./choice-errors";
import { defineChoice, publishChoiceNotice } from "./choice-notices.server";
import type { ChoiceKind } from "./vocabulary";

/** A new action kind's key: lower-case letters, digits and hyphens, 2–40 characters. */
export const ACTION_KIND_KEY_PATTERN = /^[a-z][a-z0-9-]{1,39}$/;

/** A refused edit: `code` unknown | duplicate | invalid (the page translates it). */
export class ChoiceEditorError extends Error {
  constructor(readonly code: "unknown" | "duplicate" | "invalid") {
    super(code);
  }
}

export type NoticeTexts = Partial<Record<Lang, { label: string; explanation: string }>>;

/** Texts in known languages, none empty, English among them; else ChoiceEditorError("invalid"). */
function checkTexts(texts: NoticeTexts, needEnglish = true): void {
  const entries = Object.entries(texts);
  const ok = entries.every(([lang, t]) => (LANGUAGES as readonly string[]).includes(lang) && Boolean(t?.label.trim()) && Boolean(t?.explanation.trim()));
  if (!ok || entries.length === 0 || (needEnglish && !texts.en)) throw new ChoiceEditorError("invalid");
}

export interface EditorChoice {
  key: string;
  kind: ChoiceKind;
  defaultValue: string;
  noticeVersion: number;
  position: number;
  involvesAmount: boolean;
  /** The current version's text per language (a language missing here falls back to English). */
  texts: NoticeTexts;
  /** The current version's change note per language, if any. */
  changeNotes: Partial<Record<Lang, string>>;
}

/** Every choice with its current notice in every language, in page order. */
export async function listEditorChoices(db: Db): Promise<EditorChoice[]> {
  const definitions = await db.select().from(choiceDefinitions).orderBy(asc(choiceDefinitions.position), asc(choiceDefinitions.key));
  const notices = await db.select().from(choiceNotices);
  return definitions.map((d) => {
    const current = notices.filter((n) => n.choiceKey === d.key && n.version === d.noticeVersion);
    const texts: NoticeTexts = {};
    const changeNotes: Partial<Record<Lang, string>> = {};
    for (const n of current) {
      if (!(LANGUAGES as readonly string[]).includes(n.lang)) continue;
      texts[n.lang as Lang] = { label: n.label, explanation: n.explanation };
      if (n.changeNote) changeNotes[n.lang as Lang] = n.changeNote;
    }
    return {
      key: d.key,
      kind: d.kind as ChoiceKind,
      defaultValue: d.defaultValue,
      noticeVersion: d.noticeVersion,
      position: d.position,
      involvesAmount: d.kind === "action" && d.involvesAmount,
      texts,
      changeNotes,
    };
  });
}

/** One choice as the editor shows it, or undefined. */
export async function findEditorChoice(db: Db, key: string): Promise<EditorChoice | undefined> {
  return (await listEditorChoices(db)).find((c) => c.key === key);
}

/**
 * A new version of a choice's notice (SPEC §12 "what changed in a new notice version"): the
 * texts per language and a change note per language (shown to every customer asked to
 * reconfirm; English is the fallback for a language without one). Bumps notice_version, so
 * customers who chose under the old version are asked to confirm (GDPR Art. 7: their value
 * stays until they do). Audited `choice.notice_published` {version} in the same transaction.
 * Unknown choice → ChoiceEditorError("unknown"); an empty text or no English → "invalid".
 * Resolves to the new version number.
 */
export async function publishNoticeVersion(
  db: Db,
  input: { choiceKey: string; texts: NoticeTexts; changeNote: Partial<Record<Lang, string>> },
  actor: AuditActor,
  now = Date.now(),
): Promise<number> {
  checkTexts(input.texts);
  return db.transaction(async (tx) => {
    const [definition] = await tx.select({ key: choiceDefinitions.key }).from(choiceDefinitions).where(eq(choiceDefinitions.key, input.choiceKey)).limit(1);
    if (!definition) throw new ChoiceEditorError("unknown");
    const version = await publishChoiceNotice(tx, { choiceKey: input.choiceKey, texts: input.texts as Record<string, { label: string; explanation: string }>, changeNote: input.changeNote, now });
    await appendAudit(tx, { actor, action: "choice.notice_published", target: { type: "choice", id: input.choiceKey }, details: { version, languages: Object.keys(input.texts).join(",") }, now });
    return version;
  });
}

/**
 * A wording fix (a typo), not a new meaning: the current version's texts are replaced in the
 * given languages and the version stays, so no one is asked again. Audited
 * `choice.notice_wording_fixed` {version}. Unknown choice → ChoiceEditorError("unknown").
 */
export async function fixNoticeWording(db: Db, input: { choiceKey: string; texts: NoticeTexts }, actor: AuditActor, now = Date.now()): Promise<void> {
  checkTexts(input.texts, false);
  await db.transaction(async (tx) => {
    const [definition] = await tx.select().from(choiceDefinitions).where(eq(choiceDefinitions.key, input.choiceKey)).limit(1);
    if (!definition) throw new ChoiceEditorError("unknown");
    const version = definition.noticeVersion;
    for (const [lang, text] of Object.entries(input.texts)) {
      if (!text) continue;
      const where = and(eq(choiceNotices.choiceKey, input.choiceKey), eq(choiceNotices.version, version), eq(choiceNotices.lang, lang));
      const [existing] = await tx.select({ lang: choiceNotices.lang }).from(choiceNotices).where(where).limit(1);
      if (existing) await tx.update(choiceNotices).set({ label: text.label, explanation: text.explanation }).where(where);
      else await tx.insert(choiceNotices).values({ choiceKey: input.choiceKey, version, lang, label: text.label, explanation: text.explanation, createdAt: now });
    }
    await appendAudit(tx, { actor, action: "choice.notice_wording_fixed", target: { type: "choice", id: input.choiceKey }, details: { version, languages: Object.keys(input.texts).join(",") }, now });
  });
}

/**
 * A new action kind (SPEC §12 "new action kinds"): a choice of kind "action" with its key, its
 * texts in every language, whether its actions can involve money (a maximum amount is then
 * offered, SPEC §11.2), its default and its position; AI systems can then list it among the
 * actions they can take. Audited `choice.defined`. A key in use → ChoiceEditorError("duplicate");
 * a bad key or default → ChoiceEditorError("invalid").
 */
export async function defineActionKind(
  db: Db,
  input: { key: string; texts: NoticeTexts; involvesAmount: boolean; position: number; defaultValue: string },
  actor: AuditActor,
  now = Date.now(),
): Promise<void> {
  if (!ACTION_KIND_KEY_PATTERN.test(input.key) || !isValidChoiceValue("action", input.defaultValue)) throw new ChoiceEditorError("invalid");
  checkTexts(input.texts);
  await db.transaction(async (tx) => {
    const [taken] = await tx.select({ key: choiceDefinitions.key }).from(choiceDefinitions).where(eq(choiceDefinitions.key, input.key)).limit(1);
    if (taken) throw new ChoiceEditorError("duplicate");
    await defineChoice(tx, {
      key: input.key,
      kind: "action",
      defaultValue: input.defaultValue,
      position: input.position,
      involvesAmount: input.involvesAmount,
      texts: input.texts as Record<string, { label: string; explanation: string }>,
      now,
    });
    await appendAudit(tx, { actor, action: "choice.defined", target: { type: "choice", id: input.key }, details: { kind: "action", involvesAmount: input.involvesAmount, position: input.position, defaultValue: input.defaultValue }, now });
  });
}

/**
 * The default choices (SPEC §12 "default choices"): the value that counts for customers who never
 * chose (`choice_definitions.default_value`). Each changed default is audited
 * `choice.default_changed` {from, to}, all in one transaction. A value the choice does not take
 * or an unknown key → InvalidChoiceError (nothing saved). Resolves to the changed keys.
 */
export async function saveChoiceDefaults(db: Db, values: Record<string, string>, actor: AuditActor, now = Date.now()): Promise<string[]> {
  return db.transaction(async (tx) => {
    const definitions = await tx.select().from(choiceDefinitions);
    const changed: string[] = [];
    for (const [key, value] of Object.entries(values)) {
      const definition = definitions.find((d) => d.key === key);
      if (!definition || !isValidChoiceValue(definition.kind as ChoiceKind, value)) throw new InvalidChoiceError(key);
      if (definition.defaultValue === value) continue;
      await tx.update(choiceDefinitions).set({ defaultValue: value }).where(eq(choiceDefinitions.key, key));
      await appendAudit(tx, { actor, action: "choice.default_changed", target: { type: "choice", id: key }, details: { from: definition.defaultValue, to: value }, now });
      changed.push(key);
    }
    return changed;
  });
}
