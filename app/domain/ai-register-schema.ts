/**
 * The register editor's vocabulary and form schemas, shared by the client (Conform validation)
 * and the server (the same schema re-validates). No React, no data access.
 */
import { z } from "zod";
import { AUTONOMY_LEVELS, CHANNELS, RISK_CLASSES } from "./vocabulary";
import { msg, optionalText, text } from "../utils/forms";
import { DEFAULT_LANG, LANGUAGES } from "../utils/languages";
import {
  COUNTRY_PATTERN,
  DATA_TEXT_FIELDS,
  DATA_TEXT_MAX,
  PROVIDER_DATA_USES,
  RECIPIENT_NAME_MAX,
  RECIPIENT_ROLES,
  RECIPIENTS_MAX,
  TRANSFER_SAFEGUARDS,
  parseDay,
  type DataTextField,
} from "./ai-register-data";

export const SYSTEM_STATUSES = ["active", "paused", "retired"] as const;
export type SystemStatus = (typeof SYSTEM_STATUSES)[number];

/** Every text field of an AI system, in the order the editor shows them. */
export const TEXT_FIELDS = [
  "name",
  "shortDescription",
  "riskReason",
  "purpose",
  "notFor",
  "howItWorks",
  "limitations",
  "dataOperating",
  "dataTraining",
  "legalBasis",
  "oversight",
  "risks",
  "impactAssessment",
  "retention",
] as const;
export type TextField = (typeof TEXT_FIELDS)[number];

/** Short fields are single-line inputs; the rest are text areas. */
export const TEXT_MAX: Record<TextField, number> = {
  name: 120,
  shortDescription: 500,
  riskReason: 2000,
  purpose: 4000,
  notFor: 4000,
  howItWorks: 4000,
  limitations: 4000,
  dataOperating: 4000,
  dataTraining: 4000,
  legalBasis: 4000,
  oversight: 4000,
  risks: 4000,
  impactAssessment: 4000,
  retention: 4000,
};
export const SINGLE_LINE: readonly TextField[] = ["name"];

export const SLUG_MAX = 60;
/** "new" is the address of the create page, so it cannot be a system's slug. */
export const RESERVED_SLUGS: readonly string[] = ["new"];
export const PROVIDER_MAX = 200;
export const EMAIL_MAX = 254;
export const NOTE_MAX = 1000;

const requiredText = (max: number) => text({ max });

const factsShape = {
  provider: requiredText(PROVIDER_MAX),
  riskClass: z.enum(RISK_CLASSES, { error: msg("chooseOne") }),
  autonomy: z.enum(AUTONOMY_LEVELS, { error: msg("chooseOne") }),
  channels: z
    .array(z.enum(CHANNELS, { error: msg("chooseOne") }), { error: msg("registerEditor:errors.channelsRequired") })
    .min(1, msg("registerEditor:errors.channelsRequired"))
    .max(CHANNELS.length),
  contactEmail: z
    .string({ error: msg("required") })
    .trim()
    .max(EMAIL_MAX, msg("tooLong", { max: EMAIL_MAX }))
    .pipe(z.email(msg("email"))),
  actions: z.array(z.string().max(64, msg("invalid")), { error: msg("invalid") }).max(50),
};

/** The data and fairness texts of a language (SPEC §12) are optional alongside the others. */
const dataTextsShape = Object.fromEntries(DATA_TEXT_FIELDS.map((f) => [f, optionalText(DATA_TEXT_MAX)])) as Record<DataTextField, ReturnType<typeof optionalText>>;

const requiredTexts = z.object({
  ...(Object.fromEntries(TEXT_FIELDS.map((f) => [f, requiredText(TEXT_MAX[f])])) as Record<TextField, ReturnType<typeof requiredText>>),
  ...dataTextsShape,
});

/** A language not yet written may be left entirely empty; once started, every field is needed. */
const allOrNothingTexts = z
  .object({
    ...(Object.fromEntries(TEXT_FIELDS.map((f) => [f, optionalText(TEXT_MAX[f])])) as Record<TextField, ReturnType<typeof optionalText>>),
    ...dataTextsShape,
  })
  .superRefine((texts, ctx) => {
    const filled = TEXT_FIELDS.filter((f) => texts[f]);
    // Data texts belong to a language's entry: they cannot be saved without its other texts.
    const dataFilled = DATA_TEXT_FIELDS.some((f) => texts[f]);
    if ((filled.length === 0 && !dataFilled) || filled.length === TEXT_FIELDS.length) return;
    for (const f of TEXT_FIELDS) {
      if (!texts[f]) ctx.addIssue({ code: "custom", path: [f], message: msg("registerEditor:errors.textsIncomplete") });
    }
  });

const notesShape = z.object(
  Object.fromEntries(LANGUAGES.map((l) => [l, l === DEFAULT_LANG ? requiredText(NOTE_MAX) : optionalText(NOTE_MAX)])) as Record<
    (typeof LANGUAGES)[number],
    ReturnType<typeof optionalText>
  >,
);

/**
 * One recipient row of the editor; a row left entirely empty is dropped, a started one needs
 * every field. The country is an ISO 3166-1 alpha-2 code ("fr" is read as "FR").
 */
const recipientRow = z
  .object({
    name: optionalText(RECIPIENT_NAME_MAX),
    role: z.preprocess((v) => (v === "" ? undefined : v), z.enum(RECIPIENT_ROLES, { error: msg("chooseOne") }).optional()),
    country: z.preprocess(
      (v) => (typeof v === "string" ? v.trim().toUpperCase() || undefined : v),
      z.string().regex(COUNTRY_PATTERN, msg("registerData:errors.country")).optional(),
    ),
    safeguard: z.preprocess((v) => (v === "" ? undefined : v), z.enum(TRANSFER_SAFEGUARDS, { error: msg("chooseOne") }).optional()),
  })
  .superRefine((row, ctx) => {
    const keys = ["name", "role", "country", "safeguard"] as const;
    if (keys.every((k) => row[k] === undefined) || keys.every((k) => row[k] !== undefined)) return;
    for (const k of keys) if (row[k] === undefined) ctx.addIssue({ code: "custom", path: [k], message: msg("registerData:errors.recipientIncomplete") });
  });

/** The data and fairness facts of the edit form (SPEC §12). */
const dataFactsShape = {
  recipients: z
    .array(recipientRow.optional(), { error: msg("invalid") })
    .max(RECIPIENTS_MAX + 2, msg("invalid"))
    .optional()
    .transform((rows) => (rows ?? []).flatMap((r) => (r && r.name && r.role && r.country && r.safeguard ? [{ name: r.name, role: r.role, country: r.country, safeguard: r.safeguard }] : [])))
    .refine((rows) => rows.length <= RECIPIENTS_MAX, msg("registerData:errors.tooManyRecipients", { max: RECIPIENTS_MAX })),
  /** "1" when the form showed these fields: a client that never saw them leaves them unchanged. */
  dataFacts: z.literal("1", { error: msg("invalid") }).optional(),
  providerDataUse: z.enum(PROVIDER_DATA_USES, { error: msg("chooseOne") }).optional(),
  usesProtectedCharacteristics: z.enum(["yes", "no"], { error: msg("chooseOne") }).optional(),
  fairnessTestedAt: z.preprocess(
    (v) => (v === "" ? undefined : v),
    z.string().refine((v) => parseDay(v) !== null, msg("registerData:errors.date")).optional(),
  ),
};

export const CreateSystemSchema = z.object({
  slug: z
    .string({ error: msg("required") })
    .trim()
    .min(1, msg("required"))
    .max(SLUG_MAX, msg("tooLong", { max: SLUG_MAX }))
    .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, msg("registerEditor:errors.slugFormat"))
    .refine((slug) => !RESERVED_SLUGS.includes(slug), msg("registerEditor:errors.slugReserved")),
  ...factsShape,
  texts: requiredTexts,
  note: optionalText(NOTE_MAX),
});
export type CreateSystemInput = z.infer<typeof CreateSystemSchema>;

/**
 * The edit form. `textsRequired`: the language already has texts (or is English), so each field
 * is needed; otherwise the texts may be left empty (the public register keeps showing English).
 */
export function editSystemSchema(textsRequired: boolean) {
  return z.object({
    version: z.number({ error: msg("invalid") }).int(msg("invalid")).min(1, msg("invalid")),
    lang: z.enum(LANGUAGES, { error: msg("invalid") }),
    ...factsShape,
    ...dataFactsShape,
    status: z.enum(SYSTEM_STATUSES, { error: msg("chooseOne") }),
    markReviewed: z.boolean({ error: msg("invalid") }).optional(),
    texts: textsRequired ? requiredTexts : allOrNothingTexts,
    notes: notesShape,
    material: z.boolean({ error: msg("invalid") }).optional(),
  });
}
export type EditSystemInput = z.infer<ReturnType<typeof editSystemSchema>>;
