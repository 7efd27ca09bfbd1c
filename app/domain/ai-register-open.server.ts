/**
 * The public register as open data (SPEC §12, §5.1 `GET /api/v1/ai-systems`, `?format=csv`): every system that
 * is not retired, with all its public texts in one language (English as a visible fallback), its
 * data sharing and fairness facts, as JSON objects or as CSV rows. No key, no personal data.
 */
import { asc, inArray, ne } from "drizzle-orm";
import { aiSystemActions, aiSystemTexts, aiSystems } from "../../db/schema";
import type { Db } from "../utils/db.server";
import { DEFAULT_LANG } from "../utils/languages";
import { dayValue, parseRecipients, type DataRecipient, type ProviderDataUse } from "./ai-register-data";
import { TEXT_FIELDS } from "./ai-register-schema";
import { toCsv, type CsvCell } from "./reports.server";
import { publicAuditSummaries } from "./audits.server";
import { companyTimeZone } from "./settings.server";
import { localDay } from "../utils/calendar";

/** Public texts besides the name (the name is its own field). */
const OPEN_TEXT_FIELDS = TEXT_FIELDS.filter((f) => f !== "name");
type OpenTextField = (typeof OPEN_TEXT_FIELDS)[number];

export interface OpenRegisterEntry {
  slug: string;
  name: string;
  /** The language the texts are in; `fallback` when it is not the requested one. */
  textLang: string;
  fallback: boolean;
  status: string;
  provider: string;
  riskClass: string;
  autonomy: string;
  channels: string[];
  contactEmail: string;
  /** "YYYY-MM-DD" (UTC). */
  lastReviewedOn: string;
  version: number;
  actions: string[];
  texts: Record<OpenTextField, string>;
  dataSharing: { recipients: DataRecipient[]; providerDataUse: ProviderDataUse; providerUseClause: string };
  fairness: {
    usesProtectedCharacteristics: boolean;
    protectedCharacteristicsNote: string;
    lastTest: { date: string; method: string; result: string } | null;
  };
  lastAudit: { date: string; result: string; summary: string; summaryLang: string } | null;
}

/**
 * The public register in `lang` (a shipped language): one entry per system that is not retired,
 * by id; each system's texts in `lang`, else English, else any language it has (`fallback`
 * true), with its last audit and public summary (`lastAudit`, the day in the company's time zone).
 */
export async function openRegister(db: Db, lang: string): Promise<OpenRegisterEntry[]> {
  const systems = await db.select().from(aiSystems).where(ne(aiSystems.status, "retired")).orderBy(asc(aiSystems.id));
  if (systems.length === 0) return [];
  const ids = systems.map((s) => s.id);
  const textRows = await db.select().from(aiSystemTexts).where(inArray(aiSystemTexts.systemId, ids));
  const actions = await db.select().from(aiSystemActions).where(inArray(aiSystemActions.systemId, ids));
  const audits = await publicAuditSummaries(db, ids, lang);
  const timeZone = companyTimeZone();
  return systems.flatMap((system) => {
    const own = textRows.filter((t) => t.systemId === system.id);
    const texts = own.find((t) => t.lang === lang) ?? own.find((t) => t.lang === DEFAULT_LANG) ?? own[0];
    if (!texts) return [];
    const audit = audits.get(system.id);
    const tested = system.fairnessTestedAt;
    return [
      {
        slug: system.slug,
        name: texts.name,
        textLang: texts.lang,
        fallback: texts.lang !== lang,
        status: system.status,
        provider: system.provider,
        riskClass: system.riskClass,
        autonomy: system.autonomy,
        channels: system.channels,
        contactEmail: system.contactEmail,
        lastReviewedOn: dayValue(system.lastReviewedAt),
        version: system.currentVersion,
        actions: actions.filter((a) => a.systemId === system.id).map((a) => a.choiceKey).sort(),
        texts: Object.fromEntries(OPEN_TEXT_FIELDS.map((f) => [f, texts[f]])) as Record<OpenTextField, string>,
        dataSharing: {
          recipients: parseRecipients(system.dataRecipients),
          providerDataUse: system.providerDataUse as ProviderDataUse,
          providerUseClause: texts.providerUseClause,
        },
        fairness: {
          usesProtectedCharacteristics: Boolean(system.usesProtectedCharacteristics),
          protectedCharacteristicsNote: texts.protectedCharacteristicsNote,
          lastTest: tested === null ? null : { date: dayValue(tested), method: texts.fairnessTestMethod, result: texts.fairnessTestResult },
        },
        lastAudit: audit ? { date: localDay(audit.auditedAt, timeZone), result: audit.result, summary: audit.summary, summaryLang: audit.summaryLang } : null,
      },
    ];
  });
}

/** The CSV's columns, in order (stable identifiers, documented in the OpenAPI document). */
export const OPEN_REGISTER_CSV_COLUMNS = [
  "slug",
  "name",
  "textLang",
  "fallback",
  "status",
  "provider",
  "riskClass",
  "autonomy",
  "channels",
  "contactEmail",
  "lastReviewedOn",
  "version",
  "actions",
  ...OPEN_TEXT_FIELDS,
  "recipients",
  "providerDataUse",
  "providerUseClause",
  "usesProtectedCharacteristics",
  "protectedCharacteristicsNote",
  "lastBiasTestOn",
  "biasTestMethod",
  "biasTestResult",
  "lastAuditOn",
  "lastAuditResult",
  "lastAuditSummary",
] as const;

/**
 * The register as RFC 4180 CSV (UTF-8 with BOM, CRLF), one row per system, cells that a
 * spreadsheet would run as a formula neutralised (reports' toCsv). Lists are joined with "; ";
 * a recipient is "name (role, country, safeguard)".
 */
export function openRegisterCsv(entries: OpenRegisterEntry[]): string {
  const rows: CsvCell[][] = [[...OPEN_REGISTER_CSV_COLUMNS]];
  for (const e of entries) {
    rows.push([
      e.slug,
      e.name,
      e.textLang,
      e.fallback ? "true" : "false",
      e.status,
      e.provider,
      e.riskClass,
      e.autonomy,
      e.channels.join("; "),
      e.contactEmail,
      e.lastReviewedOn,
      e.version,
      e.actions.join("; "),
      ...OPEN_TEXT_FIELDS.map((f) => e.texts[f]),
      e.dataSharing.recipients.map((r) => `${r.name} (${r.role}, ${r.country}, ${r.safeguard})`).join("; "),
      e.dataSharing.providerDataUse,
      e.dataSharing.providerUseClause,
      e.fairness.usesProtectedCharacteristics ? "true" : "false",
      e.fairness.protectedCharacteristicsNote,
      e.fairness.lastTest?.date ?? null,
      e.fairness.lastTest?.method ?? null,
      e.fairness.lastTest?.result ?? null,
      e.lastAudit?.date ?? null,
      e.lastAudit?.result ?? null,
      e.lastAudit?.summary ?? null,
    ]);
  }
  return toCsv(rows);
}
