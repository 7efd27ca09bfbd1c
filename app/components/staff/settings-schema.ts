/**
 * The company settings form (SPEC §12): one flat schema for client and server, and the mapping
 * between its fields and the stored settings (app/domain/settings.server.ts).
 */
import { z } from "zod";
import { PRIORITIES } from "~/domain/vocabulary";
import { crossField, msg, optionalText, text } from "~/utils/forms";
import { LANGUAGES, type Lang } from "~/utils/languages";

export const AUTHORITIES = ["dpa", "msa"] as const;
export type AuthorityField = (typeof AUTHORITIES)[number];
const NAME_MAX = 200;
const URL_MAX = 500;

/** Whole numbers within a range, with the range in the message. */
const whole = (min: number, max: number) => {
  const message = msg("settings:errors.range", { min, max });
  // A refine, not .int(): Zod's integer check aborts the object, and the cross-field checks would wait a round.
  return z.number({ error: message }).min(min, message).max(max, message).refine(Number.isInteger, message);
};

/** An http(s) address (never javascript:, data: and the like). */
const requiredWebAddress = z
  .string({ error: msg("required") })
  .trim()
  .min(1, msg("required"))
  .max(URL_MAX, msg("tooLong", { max: URL_MAX }))
  .refine((v) => /^https?:\/\//i.test(v) && URL.canParse(v), msg("settings:errors.url"));

/** An http(s) address, else "not given". */
const webAddress = z.preprocess((v) => (typeof v === "string" && v.trim() === "" ? undefined : v), requiredWebAddress.optional());

/** The SLA limits: one hour to one year. */
export const SLA_RANGE = { min: 1, max: 8760 } as const;
export const RANGES = {
  reopenGraceDays: { min: 0, max: 365 },
  linkLifetimeDays: { min: 1, max: 90 },
  retentionClosedConcernMonths: { min: 1, max: 240 },
  retentionLinksAndSessionsDays: { min: 1, max: 3650 },
} as const;

const slaFields = Object.fromEntries(
  PRIORITIES.flatMap((p) => [
    [`sla_${p}_first`, whole(SLA_RANGE.min, SLA_RANGE.max)],
    [`sla_${p}_resolution`, whole(SLA_RANGE.min, SLA_RANGE.max)],
  ]),
) as Record<`sla_${(typeof PRIORITIES)[number]}_${"first" | "resolution"}`, ReturnType<typeof whole>>;

const authorityFields = Object.fromEntries(
  AUTHORITIES.flatMap((a) => [
    [`${a}Name`, optionalText(NAME_MAX)],
    [`${a}Url`, webAddress],
    ...LANGUAGES.map((l) => [`${a}Name_${l}`, optionalText(NAME_MAX)]),
  ]),
) as Record<string, ReturnType<typeof optionalText> | typeof webAddress>;

const SettingsFields = z.object({
  companyName: text({ max: 100 }),
  privacyContactEmail: z.email(msg("email")).max(254, msg("tooLong", { max: 254 })),
  privacyPolicyUrl: requiredWebAddress,
  ...authorityFields,
  ...slaFields,
  reopenGraceDays: whole(RANGES.reopenGraceDays.min, RANGES.reopenGraceDays.max),
  linkLifetimeDays: whole(RANGES.linkLifetimeDays.min, RANGES.linkLifetimeDays.max),
  retentionClosedConcernMonths: whole(RANGES.retentionClosedConcernMonths.min, RANGES.retentionClosedConcernMonths.max),
  retentionLinksAndSessionsDays: whole(RANGES.retentionLinksAndSessionsDays.min, RANGES.retentionLinksAndSessionsDays.max),
  requireTraining: z.literal("on").optional(),
});

/** The cross-field checks, each reported with the field errors in the same round (`crossField`). */
const checks: { path: string; message: string; ok: (v: Record<string, unknown>) => boolean }[] = [
  // An authority is named with its address, or not at all.
  ...AUTHORITIES.flatMap((a) => [
    { path: `${a}Url`, message: msg("required"), ok: (v: Record<string, unknown>) => Boolean(v[`${a}Url`]) || !(v[`${a}Name`] || LANGUAGES.some((l) => v[`${a}Name_${l}`])) },
    { path: `${a}Name`, message: msg("required"), ok: (v: Record<string, unknown>) => Boolean(v[`${a}Name`]) || !(typeof v[`${a}Url`] === "string" && v[`${a}Url`]) },
  ]),
  ...PRIORITIES.map((p) => ({
    path: `sla_${p}_resolution`,
    message: msg("settings:errors.resolutionBeforeFirst"),
    ok: (v: Record<string, unknown>) => {
      const first = Number(v[`sla_${p}_first`]);
      const resolution = Number(v[`sla_${p}_resolution`]);
      return !Number.isFinite(first) || !Number.isFinite(resolution) || resolution >= first;
    },
  })),
];

export const SettingsSchema = checks.reduce<z.ZodType<z.infer<typeof SettingsFields>>>(
  (schema, check) => schema.refine((v) => check.ok(v as Record<string, unknown>), { path: [check.path], message: check.message, when: crossField }),
  SettingsFields,
);

export type SettingsForm = z.infer<typeof SettingsSchema>;

/** The stored shape of one authority (mirrors the domain's Authority). */
export interface AuthorityValue {
  name: string;
  names: Partial<Record<Lang, string>>;
  url: string;
}

/** The form's fields as the settings store them (what saveSettings takes). */
export function settingsFromForm(form: SettingsForm) {
  const values = form as Record<string, unknown>;
  const authority = (a: AuthorityField): AuthorityValue | null => {
    const url = values[`${a}Url`] as string | undefined;
    const name = values[`${a}Name`] as string | undefined;
    if (!url || !name) return null;
    const names: Partial<Record<Lang, string>> = {};
    for (const l of LANGUAGES) {
      const one = values[`${a}Name_${l}`] as string | undefined;
      if (one) names[l] = one;
    }
    return { name, names, url };
  };
  const sla = (p: string) => ({ firstResponseHours: values[`sla_${p}_first`] as number, resolutionHours: values[`sla_${p}_resolution`] as number });
  return {
    companyName: form.companyName,
    privacyContactEmail: form.privacyContactEmail,
    privacyPolicyUrl: form.privacyPolicyUrl as string,
    dataProtectionAuthority: authority("dpa"),
    marketSurveillanceAuthority: authority("msa"),
    slaFirstResponseHours: sla("normal").firstResponseHours,
    slaResolutionHours: sla("normal").resolutionHours,
    slaByPriority: { low: sla("low"), high: sla("high"), urgent: sla("urgent") },
    reopenGraceDays: form.reopenGraceDays,
    linkLifetimeDays: form.linkLifetimeDays,
    retentionClosedConcernMonths: form.retentionClosedConcernMonths,
    retentionLinksAndSessionsDays: form.retentionLinksAndSessionsDays,
    requireTraining: form.requireTraining === "on",
  };
}

/** The stored settings as the form's default values (strings, as a form holds them). */
export function formFromSettings(s: {
  companyName: string;
  privacyContactEmail: string;
  privacyPolicyUrl: string;
  dataProtectionAuthority: AuthorityValue | null;
  marketSurveillanceAuthority: AuthorityValue | null;
  slaFirstResponseHours: number;
  slaResolutionHours: number;
  slaByPriority: Partial<Record<string, { firstResponseHours: number; resolutionHours: number }>>;
  reopenGraceDays: number;
  linkLifetimeDays: number;
  retentionClosedConcernMonths: number;
  retentionLinksAndSessionsDays: number;
  requireTraining: boolean;
}): Record<string, string> {
  const out: Record<string, string> = {
    companyName: s.companyName,
    privacyContactEmail: s.privacyContactEmail,
    privacyPolicyUrl: s.privacyPolicyUrl,
    reopenGraceDays: String(s.reopenGraceDays),
    linkLifetimeDays: String(s.linkLifetimeDays),
    retentionClosedConcernMonths: String(s.retentionClosedConcernMonths),
    retentionLinksAndSessionsDays: String(s.retentionLinksAndSessionsDays),
  };
  if (s.requireTraining) out.requireTraining = "on";
  for (const [a, value] of [["dpa", s.dataProtectionAuthority], ["msa", s.marketSurveillanceAuthority]] as const) {
    out[`${a}Name`] = value?.name ?? "";
    out[`${a}Url`] = value?.url ?? "";
    for (const l of LANGUAGES) out[`${a}Name_${l}`] = value?.names[l] ?? "";
  }
  for (const p of PRIORITIES) {
    const hours = p === "normal" ? { firstResponseHours: s.slaFirstResponseHours, resolutionHours: s.slaResolutionHours } : (s.slaByPriority[p] ?? { firstResponseHours: s.slaFirstResponseHours, resolutionHours: s.slaResolutionHours });
    out[`sla_${p}_first`] = String(hours.firstResponseHours);
    out[`sla_${p}_resolution`] = String(hours.resolutionHours);
  }
  return out;
}
