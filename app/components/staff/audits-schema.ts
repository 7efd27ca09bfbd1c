/**
 * The forms of the audits page (/staff/ai-systems/:slug/audits), one Zod schema for client and
 * server. Limits mirror the domain's AUDIT_LIMITS (a .server module the forms cannot import); the
 * domain checks again.
 */
import { z } from "zod";
import { msg, optionalText, text } from "~/utils/forms";
import { DEFAULT_LANG, LANGUAGES, type Lang } from "~/utils/languages";

export const AUDIT_RESULT_VALUES = ["passed", "passed_with_actions", "failed"] as const;
/** A public summary may be given in every portal language; English is required (the fallback). */
export const SUMMARY_LANGS = LANGUAGES;
/** The form field of a language's public summary: `summaryEn`, `summaryFr`, … `summaryUk`. */
export function summaryField(lang: Lang): string {
  return `summary${lang[0]!.toUpperCase()}${lang.slice(1)}`;
}

/** Every summary field empty (a new audit's form). */
export function emptySummaries(): Record<string, string> {
  return Object.fromEntries(SUMMARY_LANGS.map((l) => [summaryField(l), ""]));
}

/** The summaries of a parsed form, per language (empty ones are dropped by the domain). */
export function summariesFromForm(value: Record<string, unknown>): Partial<Record<Lang, string>> {
  return Object.fromEntries(SUMMARY_LANGS.map((l) => [l, typeof value[summaryField(l)] === "string" ? (value[summaryField(l)] as string) : undefined]));
}

const LIMITS = { auditorName: 120, scope: 2000, findings: 5000, summary: 1200, actionText: 500 } as const;

/** A real calendar day "YYYY-MM-DD" (2026-02-30 is not). */
export function isDay(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const [y, m, d] = value.split("-").map(Number) as [number, number, number];
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d && y >= 2000 && y <= 2100;
}

const day = z.string({ error: msg("required") }).trim().refine(isDay, msg("audits:errors.day"));
const staffId = z.preprocess((v) => (v === "" ? undefined : v), z.coerce.number({ error: msg("chooseOne") }).int(msg("chooseOne")).positive(msg("chooseOne")).optional());
const id = z.coerce.number({ error: msg("audits:errors.notFound") }).int().positive();

const auditFields = {
  auditedOn: day,
  auditorName: text({ max: LIMITS.auditorName }),
  auditorStaffId: staffId,
  scope: text({ max: LIMITS.scope }),
  findings: text({ max: LIMITS.findings }),
  result: z.enum(AUDIT_RESULT_VALUES, { error: msg("chooseOne") }),
  summaryEn: text({ max: LIMITS.summary }),
  ...(Object.fromEntries(SUMMARY_LANGS.filter((l) => l !== DEFAULT_LANG).map((l) => [summaryField(l), optionalText(LIMITS.summary)])) as Record<string, ReturnType<typeof optionalText>>),
};

export const actionFields = {
  text: text({ max: LIMITS.actionText }),
  ownerId: staffId,
  dueOn: day,
};

export const AuditsSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("record"), ...auditFields }),
  z.object({ intent: z.literal("correct"), auditId: id, ...auditFields }),
  z.object({ intent: z.literal("addAction"), auditId: id, ...actionFields }),
  z.object({ intent: z.literal("completeAction"), actionId: id }),
  z.object({
    intent: z.literal("interval"),
    months: z.coerce.number({ error: msg("audits:errors.months") }).int(msg("audits:errors.months")).min(1, msg("audits:errors.months")).max(60, msg("audits:errors.months")),
  }),
]);

export type AuditsForm = z.infer<typeof AuditsSchema>;
