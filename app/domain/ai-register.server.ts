import { and, asc, count, desc, eq, exists, inArray, ne, sql } from "drizzle-orm";
import {
  aiSystemActions,
  aiSystemTexts,
  aiSystemVersions,
  aiSystems,
  concerns,
} from "../../db/schema";
import type { Db } from "../utils/db.server";
import { preparedQuery } from "../utils/prepared.server";
import { DEFAULT_LANG } from "../utils/languages";

import { AUTONOMY_LEVELS, isOpen, RISK_CLASSES, TRAINING_KEY } from "./vocabulary";
import { distinctRecipients, parseRecipients, type DataRecipient, type DataTextField, type ProviderDataUse } from "./ai-register-data";

/** The required texts of a language; the data and fairness texts (SPEC §12) are `AiSystemDataTexts`. */
export type AiSystemTexts = Omit<typeof aiSystemTexts.$inferSelect, "systemId" | "lang" | DataTextField>;
/** The texts a register entry's summary shows (the list, the forms, the overview). */
export type AiSystemSummaryTexts = Pick<AiSystemTexts, "name" | "shortDescription" | "riskReason">;

export interface AiSystemSummary {
  id: number;
  slug: string;
  provider: string;
  riskClass: string;
  autonomy: string;
  channels: string[];
  status: string;
  contactEmail: string;
  lastReviewedAt: number;
  currentVersion: number;
  actionKeys: string[];
  texts: AiSystemSummaryTexts;
  /** The language the texts are in: the requested one, or English as a visible fallback. */
  textLang: string;
}

/**
 * Each system's texts in `lang`, else English, else any language it has (by system id); `rows`
 * holds the candidates (with their `systemId` and `lang`).
 */
function pickTexts<T extends { systemId: number; lang: string }>(rows: T[], systemIds: number[], lang: string): Map<number, { texts: Omit<T, "systemId" | "lang">; lang: string }> {
  const result = new Map<number, { texts: Omit<T, "systemId" | "lang">; lang: string }>();
  for (const id of systemIds) {
    const row =
      rows.find((r) => r.systemId === id && r.lang === lang) ??
      rows.find((r) => r.systemId === id && r.lang === DEFAULT_LANG) ??
      rows.find((r) => r.systemId === id);
    if (row) {
      const { systemId: _systemId, lang: textLang, ...texts } = row;
      result.set(id, { texts, lang: textLang });
    }
  }
  return result;
}

const summaryTextColumns = {
  systemId: aiSystemTexts.systemId,
  lang: aiSystemTexts.lang,
  name: aiSystemTexts.name,
  shortDescription: aiSystemTexts.shortDescription,
  riskReason: aiSystemTexts.riskReason,
};

// The register's reads, prepared: the overview, the register and every timeline ask on each view.
// Texts are read in the page's language and English only (the fallback), and only the columns
// shown: the full texts of every language are ~45 KB for five systems.
const registeredSystems = preparedQuery("register_systems", (db) =>
  db.select().from(aiSystems).where(ne(aiSystems.status, "retired")).orderBy(asc(aiSystems.id)),
);
const summaryTextsIn = preparedQuery("register_summary_texts", (db) =>
  db
    .select(summaryTextColumns)
    .from(aiSystemTexts)
    .where(inArray(aiSystemTexts.lang, [sql.placeholder("lang"), sql.placeholder("fallback")])),
);
const registeredActions = preparedQuery("register_actions", (db) =>
  db.select({ systemId: aiSystemActions.systemId, choiceKey: aiSystemActions.choiceKey }).from(aiSystemActions),
);
const systemSlugs = preparedQuery("register_slugs", (db) => db.select({ id: aiSystems.id, slug: aiSystems.slug }).from(aiSystems));
const systemNameTexts = preparedQuery("register_names", (db) =>
  db.select({ systemId: aiSystemTexts.systemId, lang: aiSystemTexts.lang, name: aiSystemTexts.name }).from(aiSystemTexts),
);
const countedSystems = preparedQuery("register_count", (db) =>
  db
    .select({ n: count() })
    .from(aiSystems)
    .where(and(ne(aiSystems.status, "retired"), exists(db.select({ one: sql`1` }).from(aiSystemTexts).where(eq(aiSystemTexts.systemId, aiSystems.id))))),
);

/**
 * The summary texts of `systemIds` in `lang` (else English, else any language): two languages
 * read through the prepared query; a system with neither (an entry written in another language
 * only) is looked up again across all its languages.
 */
async function summaryTextsFor(db: Db, systemIds: number[], lang: string) {
  if (systemIds.length === 0) return new Map<number, { texts: AiSystemSummaryTexts; lang: string }>();
  const texts = pickTexts(await summaryTextsIn(db, { lang, fallback: DEFAULT_LANG }), systemIds, lang);
  const missing = systemIds.filter((id) => !texts.has(id));
  if (missing.length > 0) {
    const others = await db.select(summaryTextColumns).from(aiSystemTexts).where(inArray(aiSystemTexts.systemId, missing));
    for (const [id, text] of pickTexts(others, missing, lang)) texts.set(id, text);
  }
  return texts;
}

async function summaries(db: Db, systems: (typeof aiSystems.$inferSelect)[], lang: string): Promise<AiSystemSummary[]> {
  const ids = systems.map((s) => s.id);
  const texts = await summaryTextsFor(db, ids, lang);
  const actions = ids.length === 0 ? [] : await registeredActions(db);
  return systems.flatMap((system) => {
    const text = texts.get(system.id);
    if (!text) return [];
    return [
      {
        id: system.id,
        slug: system.slug,
        provider: system.provider,
        riskClass: system.riskClass,
        autonomy: system.autonomy,
        channels: system.channels,
        status: system.status,
        contactEmail: system.contactEmail,
        lastReviewedAt: system.lastReviewedAt,
        currentVersion: system.currentVersion,
        actionKeys: actions.filter((a) => a.systemId === system.id).map((a) => a.choiceKey),
        texts: text.texts,
        textLang: text.lang,
      },
    ];
  });
}

/** The public register: every system that is not retired, in the requested language (summary texts). */
export async function listAiSystems(db: Db, lang: string): Promise<AiSystemSummary[]> {
  return summaries(db, await registeredSystems(db), lang);
}

/** How many systems the public register lists (`listAiSystems(…).length`, counted by the database). */
export async function countAiSystems(db: Db): Promise<number> {
  const [row] = await countedSystems(db);
  return Number(row?.n ?? 0);
}

export async function getAiSystem(db: Db, slug: string, lang: string) {
  const [system] = await db.select().from(aiSystems).where(eq(aiSystems.slug, slug)).limit(1);
  if (!system) return undefined;
  const [summary] = await summaries(db, [system], lang);
  if (!summary) return undefined;
  const textRows = await db.select().from(aiSystemTexts).where(eq(aiSystemTexts.systemId, system.id));
  const texts = pickTexts(textRows, [system.id], lang).get(system.id)!.texts;
  const versionRows = await db
    .select()
    .from(aiSystemVersions)
    .where(eq(aiSystemVersions.systemId, system.id))
    .orderBy(desc(aiSystemVersions.version));
  const versions = versionRows.map((v) => ({
    version: v.version,
    material: v.material,
    createdAt: v.createdAt,
    note: v.changeNote[lang] ?? v.changeNote[DEFAULT_LANG] ?? "",
  }));
  const concernStats = await db
    .select({ status: concerns.status, count: count() })
    .from(concerns)
    .where(eq(concerns.systemId, system.id))
    .groupBy(concerns.status);
  // Spam and merged duplicates are not concerns about the system.
  const counted = concernStats.filter((s) => s.status !== "spam" && s.status !== "merged");
  const sum = (rows: typeof counted) => rows.reduce((n, s) => n + s.count, 0);
  const total = sum(counted);
  const open = sum(counted.filter((s) => isOpen(s.status)));
  const resolved = sum(counted.filter((s) => s.status === "resolved" || s.status === "closed"));
  const data = {
    recipients: parseRecipients(system.dataRecipients),
    providerDataUse: system.providerDataUse as ProviderDataUse,
    usesProtectedCharacteristics: Boolean(system.usesProtectedCharacteristics),
    fairnessTestedAt: system.fairnessTestedAt,
  };
  return { ...summary, texts, data, versions, concernStats: { total, resolved, open } };
}

/**
 * Who receives a customer's data under one choice (SPEC §12, the consent receipt): the
 * recipients of the systems that are not retired and can take the action (kind "action"), or,
 * for the training choice, of those whose provider may use the data for itself or its own
 * training (`providerDataUse` "yes"); none for other choices. Without repeats.
 */
export async function recipientsForChoice(db: Db, choiceKey: string): Promise<DataRecipient[]> {
  const live = ne(aiSystems.status, "retired");
  const rows =
    choiceKey === TRAINING_KEY
      ? await db.select({ recipients: aiSystems.dataRecipients }).from(aiSystems).where(and(live, eq(aiSystems.providerDataUse, "yes"))).orderBy(asc(aiSystems.id))
      : await db
          .select({ recipients: aiSystems.dataRecipients })
          .from(aiSystems)
          .innerJoin(aiSystemActions, eq(aiSystemActions.systemId, aiSystems.id))
          .where(and(live, eq(aiSystemActions.choiceKey, choiceKey)))
          .orderBy(asc(aiSystems.id));
  return distinctRecipients(rows.map((r) => parseRecipients(r.recipients)));
}

/** Names of systems by id in one language, retired ones included (for timelines and forms; prepared). */
export async function aiSystemNames(db: Db, lang: string): Promise<Map<number, { slug: string; name: string }>> {
  const systems = await systemSlugs(db);
  const texts = pickTexts(await systemNameTexts(db), systems.map((s) => s.id), lang);
  return new Map(
    systems.map((s) => [s.id, { slug: s.slug, name: texts.get(s.id)?.texts.name ?? s.slug }]),
  );
}

/** Creates a system with its texts and first version (seed now, register editor later). */
export async function createAiSystem(
  db: Db,
  input: {
    slug: string;
    provider: string;
    riskClass: (typeof RISK_CLASSES)[number];
    autonomy: (typeof AUTONOMY_LEVELS)[number];
    channels: string[];
    contactEmail: string;
    lastReviewedAt: number;
    actionKeys: string[];
    texts: Record<string, AiSystemTexts>;
    versions: { changeNote: Record<string, string>; material: boolean; createdAt: number }[];
  },
): Promise<number> {
  return db.transaction(async (tx) => {
    const now = Date.now();
    const [created] = await tx
      .insert(aiSystems)
      .values({
        slug: input.slug,
        provider: input.provider,
        riskClass: input.riskClass,
        autonomy: input.autonomy,
        channels: input.channels,
        contactEmail: input.contactEmail,
        lastReviewedAt: input.lastReviewedAt,
        currentVersion: Math.max(1, input.versions.length),
        createdAt: input.versions[0]?.createdAt ?? now,
        updatedAt: now,
      })
      .returning({ id: aiSystems.id });
    const id = created!.id;
    for (const [lang, texts] of Object.entries(input.texts)) {
      await tx.insert(aiSystemTexts).values({ systemId: id, lang, ...texts });
    }
    for (const choiceKey of input.actionKeys) {
      await tx.insert(aiSystemActions).values({ systemId: id, choiceKey });
    }
    for (const [i, v] of input.versions.entries()) {
      await tx.insert(aiSystemVersions)
        .values({ systemId: id, version: i + 1, changeNote: v.changeNote, material: v.material, createdAt: v.createdAt });
    }
    return id;
  });
}
