/**
 * The choices a customer can make and their notices (SPEC §3.2, §4 "a material change re-asks"):
 * each choice's definition, the text shown for it per version and language, a new version when
 * the company changes what the choice means, and what changed since a given version.
 */
import { and, asc, eq, inArray, sql } from "drizzle-orm";
import { choiceDefinitions, choiceNotices } from "../../db/schema";
import type { Db } from "../utils/db.server";
import { DEFAULT_LANG } from "../utils/languages";
import { preparedQuery } from "../utils/prepared.server";
import { aiSystemNames } from "./ai-register.server";
import { InvalidChoiceError, isValidChoiceValue } from "./choice-errors";
import type { ChoiceKind } from "./vocabulary";

export interface Choice {
  key: string;
  kind: ChoiceKind;
  defaultValue: string;
  noticeVersion: number;
  /** Kind "action" whose actions can involve money: a maximum amount is offered (SPEC §11.2). */
  involvesAmount: boolean;
  label: string;
  explanation: string;
  /** True when the notice text is not available in the requested language. */
  fallback: boolean;
}

// Read on every customer page (the overview, the register, "My choices") and by every save: prepared.
/** Every choice definition, in the order the page shows them. */
export const choiceDefinitionsInOrder = preparedQuery("choice_definitions", (db) => db.select().from(choiceDefinitions).orderBy(asc(choiceDefinitions.position)));
const choiceNoticesIn = preparedQuery("choice_notices_in", (db) =>
  db
    .select()
    .from(choiceNotices)
    .where(inArray(choiceNotices.lang, [sql.placeholder("lang"), sql.placeholder("fallback")])),
);

/** Every choice definition with its current notice in `lang` (English when missing). */
export async function listChoices(db: Db, lang: string): Promise<Choice[]> {
  const definitions = await choiceDefinitionsInOrder(db);
  const notices = await choiceNoticesIn(db, { lang, fallback: DEFAULT_LANG });
  return definitions.map((definition) => {
    const forVersion = notices.filter(
      (n) => n.choiceKey === definition.key && n.version === definition.noticeVersion,
    );
    const notice = forVersion.find((n) => n.lang === lang) ?? forVersion.find((n) => n.lang === DEFAULT_LANG);
    return {
      key: definition.key,
      kind: definition.kind as ChoiceKind,
      defaultValue: definition.defaultValue,
      noticeVersion: definition.noticeVersion,
      involvesAmount: definition.kind === "action" && definition.involvesAmount,
      label: notice?.label ?? definition.key,
      explanation: notice?.explanation ?? "",
      fallback: notice?.lang !== lang,
    };
  });
}

/** One version of a choice's notice in `lang`, else in English; undefined when it does not exist. */
export async function getNotice(db: Db, choiceKey: string, version: number, lang: string): Promise<typeof choiceNotices.$inferSelect | undefined> {
  const rows = await db
    .select()
    .from(choiceNotices)
    .where(and(eq(choiceNotices.choiceKey, choiceKey), eq(choiceNotices.version, version)));
  return rows.find((r) => r.lang === lang) ?? rows.find((r) => r.lang === DEFAULT_LANG);
}

/**
 * The company changes what a choice means: a new notice version in every given language.
 * Customers who chose under an older version are asked to confirm (needsReconfirmation); their
 * value stays as it was until they confirm or change it themselves (GDPR Art. 7).
 * `changeNote` (lang → text; English is the fallback for a language without one) says what
 * changed and is shown with the re-ask; `causeSystemId` names the AI system whose material
 * change published it. Returns the new version number. Unknown choice → InvalidChoiceError.
 */
export async function publishChoiceNotice(
  db: Db,
  input: {
    choiceKey: string;
    texts: Record<string, { label: string; explanation: string }>;
    changeNote?: Record<string, string> | null;
    causeSystemId?: number | null;
    now?: number;
  },
): Promise<number> {
  const now = input.now ?? Date.now();
  return db.transaction(async (tx) => {
    const [definition] = await tx.select().from(choiceDefinitions).where(eq(choiceDefinitions.key, input.choiceKey)).limit(1);
    if (!definition) throw new InvalidChoiceError(input.choiceKey);
    const version = definition.noticeVersion + 1;
    for (const [lang, text] of Object.entries(input.texts)) {
      const changeNote = input.changeNote?.[lang] ?? input.changeNote?.[DEFAULT_LANG] ?? null;
      await tx.insert(choiceNotices)
        .values({ choiceKey: input.choiceKey, version, lang, ...text, changeNote, causeSystemId: input.causeSystemId ?? null, createdAt: now });
    }
    await tx.update(choiceDefinitions).set({ noticeVersion: version }).where(eq(choiceDefinitions.key, input.choiceKey));
    return version;
  });
}

export interface NoticeChange {
  version: number;
  /** When the version was published (ms since epoch, UTC). */
  publishedAt: number;
  /** The change note in `lang` (else English), or null when none was given. */
  note: string | null;
  /** The AI system whose material change published it (its name in `lang`), or null. */
  system: { slug: string; name: string } | null;
  /** Whether the label or explanation differs from the version before it. */
  textChanged: boolean;
}

/**
 * What changed in a choice since the notice version a customer chose under (SPEC §3.2, §4 "a
 * material change re-asks"): every newer version with its change note, the system that caused
 * it and whether its text changed, plus the text the customer originally agreed to (in `lang`,
 * else English), so the re-ask can say what changed even when the text did not.
 */
export async function noticeChangesSince(
  db: Db,
  choiceKey: string,
  sinceVersion: number,
  lang: string,
): Promise<{ changes: NoticeChange[]; earlier: { label: string; explanation: string } | null }> {
  const rows = await db
    .select()
    .from(choiceNotices)
    .where(and(eq(choiceNotices.choiceKey, choiceKey), inArray(choiceNotices.lang, [lang, DEFAULT_LANG])))
    .orderBy(asc(choiceNotices.version));
  const inLang = (version: number) => rows.find((r) => r.version === version && r.lang === lang) ?? rows.find((r) => r.version === version && r.lang === DEFAULT_LANG);
  const versions = [...new Set(rows.map((r) => r.version))].filter((v) => v > sinceVersion);
  const systems = versions.some((v) => inLang(v)?.causeSystemId != null) ? await aiSystemNames(db, lang) : null;
  const changes = versions.flatMap((version) => {
    const notice = inLang(version);
    if (!notice) return [];
    const before = inLang(version - 1);
    return [
      {
        version,
        publishedAt: notice.createdAt,
        note: notice.changeNote,
        system: notice.causeSystemId != null ? (systems?.get(notice.causeSystemId) ?? null) : null,
        textChanged: !before || before.label !== notice.label || before.explanation !== notice.explanation,
      },
    ];
  });
  const earlier = inLang(sinceVersion);
  return { changes, earlier: earlier ? { label: earlier.label, explanation: earlier.explanation } : null };
}

/**
 * Adds a choice with its first notice (seed now; settings later). `involvesAmount` (kind action
 * only, default true): its actions can involve money, so customers may set a maximum amount;
 * false for kinds that never do (a disclosure, a first contact).
 * An invalid default value → InvalidChoiceError.
 */
export async function defineChoice(
  db: Db,
  input: {
    key: string;
    kind: ChoiceKind;
    defaultValue: string;
    position: number;
    involvesAmount?: boolean;
    texts: Record<string, { label: string; explanation: string }>;
    now?: number;
  },
): Promise<void> {
  if (!isValidChoiceValue(input.kind, input.defaultValue)) throw new InvalidChoiceError(input.defaultValue);
  const now = input.now ?? Date.now();
  await db.transaction(async (tx) => {
    await tx.insert(choiceDefinitions).values({
      key: input.key,
      kind: input.kind,
      defaultValue: input.defaultValue,
      noticeVersion: 1,
      position: input.position,
      involvesAmount: input.kind === "action" && (input.involvesAmount ?? true),
      createdAt: now,
    });
    for (const [lang, text] of Object.entries(input.texts)) {
      await tx.insert(choiceNotices).values({ choiceKey: input.key, version: 1, lang, ...text, createdAt: now });
    }
  });
}

/**
 * Marks whether an action kind's actions can involve money (a maximum amount is offered for it,
 * SPEC §11.2). Unknown key or a choice that is not an action kind → InvalidChoiceError.
 */
export async function setChoiceInvolvesAmount(db: Db, choiceKey: string, involvesAmount: boolean): Promise<void> {
  const [definition] = await db.select({ kind: choiceDefinitions.kind }).from(choiceDefinitions).where(eq(choiceDefinitions.key, choiceKey)).limit(1);
  if (definition?.kind !== "action") throw new InvalidChoiceError(choiceKey);
  await db.update(choiceDefinitions).set({ involvesAmount }).where(eq(choiceDefinitions.key, choiceKey));
}
