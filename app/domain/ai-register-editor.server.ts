/**
 * The AI register editor (SPEC §4): staff create and edit AI systems, their per-language texts
 * and versions with change notes. A material change re-asks the choices that depend on the
 * system: every action choice it can take gets a new notice version, in the same transaction,
 * so customers who chose under the older notice are asked to confirm (and an "allow" given
 * under it becomes an "ask" for agents until then).
 */
import { and, asc, desc, eq } from "drizzle-orm";
import {
  aiSystemActions,
  aiSystemTexts,
  aiSystemVersions,
  aiSystems,
  choiceDefinitions,
  choiceNotices,
} from "../../db/schema";
import type { Db } from "../utils/db.server";
import { DEFAULT_LANG, LANGUAGES, type Lang } from "../utils/languages";
import { createAiSystem, type AiSystemTexts } from "./ai-register.server";
import { appendAudit } from "./audit.server";
import { publishChoiceNotice } from "./preferences.server";
import { AUTONOMY_LEVELS, CHANNELS, RISK_CLASSES } from "./vocabulary";
import { SYSTEM_STATUSES, TEXT_FIELDS, type SystemStatus } from "./ai-register-schema";
import {
  DATA_TEXT_FIELDS,
  parseRecipients,
  providerUseBecomesMaterial,
  type AiSystemDataTexts,
  type DataFacts,
  type ProviderDataUse,
} from "./ai-register-data";

export { SYSTEM_STATUSES, TEXT_FIELDS, type SystemStatus };

export interface RegisterFacts {
  provider: string;
  riskClass: (typeof RISK_CLASSES)[number];
  autonomy: (typeof AUTONOMY_LEVELS)[number];
  channels: (typeof CHANNELS)[number][];
  contactEmail: string;
  /** Keys of the "action" kind choices the system can take. */
  actionKeys: string[];
}

export type RegisterEditErrorCode = "notFound" | "slugTaken" | "unknownAction" | "stale" | "noChanges" | "englishRequired";

/** A change the editor refuses; the route turns the code into a translated message. */
export class RegisterEditError extends Error {
  constructor(public readonly code: RegisterEditErrorCode) {
    super(code);
  }
}

export interface StaffActor {
  staffId: number;
}

// ── Reading ─────────────────────────────────────────────────────────────────

export interface RegisterRow {
  id: number;
  slug: string;
  /** In the staff member's language, else English, else the slug. */
  name: string;
  nameLang: string | null;
  status: string;
  riskClass: string;
  currentVersion: number;
  lastReviewedAt: number;
  /** Which languages have texts; the others fall back to English on the public register. */
  languages: { lang: Lang; present: boolean }[];
}

/** Every system, including paused and retired ones, for the staff list. */
export async function listRegisterForStaff(db: Db, lang: string): Promise<RegisterRow[]> {
  const systems = await db.select().from(aiSystems).orderBy(asc(aiSystems.id));
  const texts = await db
    .select({ systemId: aiSystemTexts.systemId, lang: aiSystemTexts.lang, name: aiSystemTexts.name })
    .from(aiSystemTexts);
  return systems.map((system) => {
    const own = texts.filter((t) => t.systemId === system.id);
    const named = own.find((t) => t.lang === lang) ?? own.find((t) => t.lang === DEFAULT_LANG) ?? own[0];
    return {
      id: system.id,
      slug: system.slug,
      name: named?.name ?? system.slug,
      nameLang: named?.lang ?? null,
      status: system.status,
      riskClass: system.riskClass,
      currentVersion: system.currentVersion,
      lastReviewedAt: system.lastReviewedAt,
      languages: LANGUAGES.map((l) => ({ lang: l, present: own.some((t) => t.lang === l) })),
    };
  });
}

/** The action choices a system can be registered for, with their label in `lang` (English fallback). */
export async function listActionChoices(db: Db, lang: string): Promise<{ key: string; label: string }[]> {
  const definitions = await db
    .select()
    .from(choiceDefinitions)
    .where(eq(choiceDefinitions.kind, "action"))
    .orderBy(asc(choiceDefinitions.position));
  const notices = await db.select().from(choiceNotices);
  return definitions.map((d) => {
    const current = notices.filter((n) => n.choiceKey === d.key && n.version === d.noticeVersion);
    const notice = current.find((n) => n.lang === lang) ?? current.find((n) => n.lang === DEFAULT_LANG);
    return { key: d.key, label: notice?.label ?? d.key };
  });
}

export interface RegisterEntry {
  system: typeof aiSystems.$inferSelect;
  actionKeys: string[];
  /** Texts per language that has them. */
  texts: Partial<Record<string, AiSystemTexts>>;
  /** Data and fairness texts per language that has texts ("" where not written). */
  dataTexts: Partial<Record<string, AiSystemDataTexts>>;
  /** Data and fairness facts (SPEC §12). */
  data: DataFacts;
  versions: { version: number; material: boolean; createdAt: number; changeNote: Record<string, string> }[];
}

/** One system with everything the editor shows, or undefined. */
export async function getRegisterEntry(db: Db, slug: string): Promise<RegisterEntry | undefined> {
  const [system] = await db.select().from(aiSystems).where(eq(aiSystems.slug, slug)).limit(1);
  if (!system) return undefined;
  const actions = await db
    .select({ key: aiSystemActions.choiceKey })
    .from(aiSystemActions)
    .where(eq(aiSystemActions.systemId, system.id));
  const actionKeys = actions.map((a) => a.key);
  const texts: Partial<Record<string, AiSystemTexts>> = {};
  const dataTexts: Partial<Record<string, AiSystemDataTexts>> = {};
  for (const row of await db.select().from(aiSystemTexts).where(eq(aiSystemTexts.systemId, system.id))) {
    const { systemId: _systemId, lang, providerUseClause, protectedCharacteristicsNote, fairnessTestMethod, fairnessTestResult, ...rest } = row;
    texts[lang] = rest;
    dataTexts[lang] = { providerUseClause, protectedCharacteristicsNote, fairnessTestMethod, fairnessTestResult };
  }
  const versionRows = await db
    .select()
    .from(aiSystemVersions)
    .where(eq(aiSystemVersions.systemId, system.id))
    .orderBy(desc(aiSystemVersions.version));
  const versions = versionRows.map((v) => ({ version: v.version, material: v.material, createdAt: v.createdAt, changeNote: v.changeNote }));
  const data: DataFacts = {
    recipients: parseRecipients(system.dataRecipients),
    providerDataUse: system.providerDataUse as ProviderDataUse,
    usesProtectedCharacteristics: Boolean(system.usesProtectedCharacteristics),
    fairnessTestedAt: system.fairnessTestedAt,
  };
  return { system, actionKeys, texts, dataTexts, data, versions };
}

// ── Writing ─────────────────────────────────────────────────────────────────

const CHANNEL_ORDER: readonly string[] = CHANNELS;

function normaliseChannels(channels: readonly string[]): (typeof CHANNELS)[number][] {
  return [...new Set(channels)]
    .filter((c): c is (typeof CHANNELS)[number] => CHANNEL_ORDER.includes(c))
    .sort((a, b) => CHANNEL_ORDER.indexOf(a) - CHANNEL_ORDER.indexOf(b));
}

/** The registered action keys in the choices' own order; an unknown or non-action key is refused. */
async function checkedActionKeys(db: Db, keys: readonly string[]): Promise<string[]> {
  const definitions = await db
    .select({ key: choiceDefinitions.key })
    .from(choiceDefinitions)
    .where(eq(choiceDefinitions.kind, "action"))
    .orderBy(asc(choiceDefinitions.position));
  const actions = definitions.map((d) => d.key);
  if (keys.some((k) => !actions.includes(k))) throw new RegisterEditError("unknownAction");
  return actions.filter((k) => keys.includes(k));
}

/** Only non-empty notes are kept; English is required. */
function cleanNotes(notes: Record<string, string | undefined>): Record<string, string> {
  const clean: Record<string, string> = {};
  for (const lang of LANGUAGES) {
    const note = notes[lang]?.trim();
    if (note) clean[lang] = note;
  }
  if (!clean[DEFAULT_LANG]) throw new RegisterEditError("englishRequired");
  return clean;
}

/**
 * A unique index refused the write: SQLite's SQLITE_CONSTRAINT_UNIQUE or PostgreSQL's 23505,
 * on the error itself or on what it wraps (drizzle wraps driver errors in DrizzleQueryError).
 */
function isUniqueViolation(error: unknown): boolean {
  for (let e = error, depth = 0; typeof e === "object" && e !== null && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (code === "SQLITE_CONSTRAINT_UNIQUE" || code === "23505") return true;
  }
  return false;
}

/**
 * Adds a system to the register with its English texts and version 1. `changeNote` is the
 * first version's note per language (English required). Audited in the same transaction.
 */
export async function createRegisterEntry(
  db: Db,
  actor: StaffActor,
  input: RegisterFacts & { slug: string; texts: AiSystemTexts; changeNote: Record<string, string | undefined>; now?: number },
): Promise<{ id: number; slug: string }> {
  const now = input.now ?? Date.now();
  const changeNote = cleanNotes(input.changeNote);
  try {
    return await db.transaction(async (tx) => {
      const [taken] = await tx.select({ id: aiSystems.id }).from(aiSystems).where(eq(aiSystems.slug, input.slug)).limit(1);
      if (taken) throw new RegisterEditError("slugTaken");
      const actionKeys = await checkedActionKeys(tx, input.actionKeys);
      const id = await createAiSystem(tx, {
        slug: input.slug,
        provider: input.provider,
        riskClass: input.riskClass,
        autonomy: input.autonomy,
        channels: normaliseChannels(input.channels),
        contactEmail: input.contactEmail,
        lastReviewedAt: now,
        actionKeys,
        texts: { [DEFAULT_LANG]: pickTexts(input.texts) },
        versions: [{ changeNote, material: false, createdAt: now }],
      });
      await appendAudit(tx, {
        actor: { type: "staff", id: actor.staffId },
        action: "ai_system.created",
        target: { type: "ai_system", id },
        details: { version: 1, riskClass: input.riskClass, autonomy: input.autonomy, actions: actionKeys.length, lang: DEFAULT_LANG },
        now,
      });
      return { id, slug: input.slug };
    });
  } catch (error) {
    // Two editors creating the same slug at once: the unique index decides.
    if (!(error instanceof RegisterEditError) && isUniqueViolation(error)) throw new RegisterEditError("slugTaken");
    throw error;
  }
}

function pickDataTexts(texts: AiSystemDataTexts): AiSystemDataTexts {
  return Object.fromEntries(DATA_TEXT_FIELDS.map((f) => [f, (texts[f] ?? "").trim()])) as AiSystemDataTexts;
}

/** Recipients trimmed, countries upper-case, in the order given. */
function cleanData(data: DataFacts): DataFacts {
  return {
    recipients: data.recipients.map((r) => ({ name: r.name.trim(), role: r.role, country: r.country.trim().toUpperCase(), safeguard: r.safeguard })),
    providerDataUse: data.providerDataUse,
    usesProtectedCharacteristics: data.usesProtectedCharacteristics,
    fairnessTestedAt: data.fairnessTestedAt,
  };
}

function pickTexts(texts: AiSystemTexts): AiSystemTexts {
  return Object.fromEntries(TEXT_FIELDS.map((f) => [f, texts[f].trim()])) as AiSystemTexts;
}

export interface RegisterUpdate extends RegisterFacts {
  slug: string;
  /** The version the editor saw: a save over someone else's newer version is refused. */
  expectedVersion: number;
  status: SystemStatus;
  markReviewed: boolean;
  /**
   * The texts of one language, when they are part of this save; `dataValues`, its data and
   * fairness texts (SPEC §12; absent: unchanged).
   */
  texts?: { lang: Lang; values: AiSystemTexts; dataValues?: AiSystemDataTexts } | null;
  /** The data and fairness facts (SPEC §12); absent: unchanged. */
  data?: DataFacts;
  changeNote: Record<string, string | undefined>;
  material: boolean;
  now?: number;
}

export interface RegisterUpdateResult {
  version: number;
  /** The action choices re-asked because the change is material (new notice versions). */
  reasked: { choiceKey: string; noticeVersion: number }[];
}

/**
 * Saves a change as a new version: facts, data and fairness facts, one language's texts,
 * "reviewed today", with a change note and the material flag. A save that changes nothing is
 * refused. The change is material whatever the flag says when the provider may now use the data
 * for itself and could not before (SPEC §12: no / contractually excluded → yes). A material change
 * publishes a new notice version (same texts, every language) for each action choice the system
 * can take, so earlier choices are re-asked. One transaction (IMMEDIATE on SQLite), audited.
 */
export async function updateRegisterEntry(db: Db, actor: StaffActor, input: RegisterUpdate): Promise<RegisterUpdateResult> {
  const now = input.now ?? Date.now();
  const changeNote = cleanNotes(input.changeNote);
  return db.transaction(async (tx) => {
    const [system] = await tx.select().from(aiSystems).where(eq(aiSystems.slug, input.slug)).limit(1);
    if (!system) throw new RegisterEditError("notFound");
    if (system.currentVersion !== input.expectedVersion) throw new RegisterEditError("stale");
    const actionKeys = await checkedActionKeys(tx, input.actionKeys);
    const channels = normaliseChannels(input.channels);
    const beforeRows = await tx
      .select({ key: aiSystemActions.choiceKey })
      .from(aiSystemActions)
      .where(eq(aiSystemActions.systemId, system.id));
    const beforeActions = beforeRows.map((a) => a.key);

    const actionsChanged = beforeActions.length !== actionKeys.length || actionKeys.some((k) => !beforeActions.includes(k));
    const factsChanged =
      system.provider !== input.provider ||
      system.riskClass !== input.riskClass ||
      system.autonomy !== input.autonomy ||
      JSON.stringify(normaliseChannels(system.channels)) !== JSON.stringify(channels) ||
      system.status !== input.status ||
      system.contactEmail !== input.contactEmail ||
      actionsChanged;

    const beforeData: DataFacts = {
      recipients: parseRecipients(system.dataRecipients),
      providerDataUse: system.providerDataUse as ProviderDataUse,
      usesProtectedCharacteristics: Boolean(system.usesProtectedCharacteristics),
      fairnessTestedAt: system.fairnessTestedAt,
    };
    const data = input.data ? cleanData(input.data) : beforeData;
    const dataChanged = JSON.stringify(data) !== JSON.stringify(beforeData);
    const material = input.material || providerUseBecomesMaterial(beforeData.providerDataUse, data.providerDataUse);

    let textsChanged = false;
    const texts = input.texts
      ? { lang: input.texts.lang, values: pickTexts(input.texts.values), dataValues: input.texts.dataValues ? pickDataTexts(input.texts.dataValues) : null }
      : null;
    if (texts) {
      const [existing] = await tx
        .select()
        .from(aiSystemTexts)
        .where(and(eq(aiSystemTexts.systemId, system.id), eq(aiSystemTexts.lang, texts.lang)))
        .limit(1);
      const dataValues = texts.dataValues;
      textsChanged =
        !existing ||
        TEXT_FIELDS.some((f) => existing[f] !== texts.values[f]) ||
        (dataValues !== null && DATA_TEXT_FIELDS.some((f) => existing[f] !== dataValues[f]));
    }
    if (!factsChanged && !dataChanged && !textsChanged && !input.markReviewed) throw new RegisterEditError("noChanges");

    const version = system.currentVersion + 1;
    // The version guard in the WHERE clause refuses a save that lost a race on PostgreSQL
    // (READ COMMITTED re-checks it after the competing transaction commits); SQLite serialises.
    const saved = await tx.update(aiSystems)
      .set({
        provider: input.provider,
        riskClass: input.riskClass,
        autonomy: input.autonomy,
        channels,
        status: input.status,
        contactEmail: input.contactEmail,
        lastReviewedAt: input.markReviewed ? now : system.lastReviewedAt,
        dataRecipients: data.recipients,
        providerDataUse: data.providerDataUse,
        usesProtectedCharacteristics: data.usesProtectedCharacteristics,
        fairnessTestedAt: data.fairnessTestedAt,
        currentVersion: version,
        updatedAt: now,
      })
      .where(and(eq(aiSystems.id, system.id), eq(aiSystems.currentVersion, input.expectedVersion)))
      .returning({ id: aiSystems.id });
    if (saved.length === 0) throw new RegisterEditError("stale");
    if (actionsChanged) {
      await tx.delete(aiSystemActions).where(eq(aiSystemActions.systemId, system.id));
      for (const choiceKey of actionKeys) await tx.insert(aiSystemActions).values({ systemId: system.id, choiceKey });
    }
    if (texts && textsChanged) {
      const values = { ...texts.values, ...(texts.dataValues ?? {}) };
      await tx.insert(aiSystemTexts)
        .values({ systemId: system.id, lang: texts.lang, ...values })
        .onConflictDoUpdate({ target: [aiSystemTexts.systemId, aiSystemTexts.lang], set: values });
    }
    await tx.insert(aiSystemVersions)
      .values({ systemId: system.id, version, changeNote, material, createdAt: now });

    const reasked: RegisterUpdateResult["reasked"] = [];
    if (material) {
      for (const choiceKey of actionKeys) {
        const noticeVersion = await reaskChoice(tx, choiceKey, { changeNote, systemId: system.id }, now);
        reasked.push({ choiceKey, noticeVersion });
        await appendAudit(tx, {
          actor: { type: "staff", id: actor.staffId },
          action: "choice.notice_published",
          target: { type: "choice", id: choiceKey },
          details: { noticeVersion, cause: "ai_system_material_change", systemId: system.id, systemVersion: version },
          now,
        });
      }
    }
    await appendAudit(tx, {
      actor: { type: "staff", id: actor.staffId },
      action: "ai_system.updated",
      target: { type: "ai_system", id: system.id },
      details: {
        version,
        material,
        factsChanged,
        dataChanged,
        providerDataUse: data.providerDataUse,
        textsLang: texts && textsChanged ? texts.lang : null,
        reviewed: input.markReviewed,
        status: input.status,
        riskClass: input.riskClass,
        reasked: reasked.length,
      },
      now,
    });
    return { version, reasked };
  });
}

/**
 * A new notice version of a choice with its current texts in every language it has, carrying the
 * system's change note (per language, English fallback) so the re-ask says what changed.
 */
async function reaskChoice(tx: Db, choiceKey: string, cause: { changeNote: Record<string, string>; systemId: number }, now: number): Promise<number> {
  const [definition] = await tx.select().from(choiceDefinitions).where(eq(choiceDefinitions.key, choiceKey)).limit(1);
  if (!definition) throw new RegisterEditError("unknownAction");
  const current = await tx
    .select()
    .from(choiceNotices)
    .where(and(eq(choiceNotices.choiceKey, choiceKey), eq(choiceNotices.version, definition.noticeVersion)));
  const texts = Object.fromEntries(current.map((n) => [n.lang, { label: n.label, explanation: n.explanation }]));
  return publishChoiceNotice(tx, { choiceKey, texts, changeNote: cause.changeNote, causeSystemId: cause.systemId, now });
}
