/**
 * The register editor's vocabulary and form schemas, shared by the client (Conform validation)
 * and the server (the same schema re-validates). No React, no data access.
 */
import { z } from "zod";
import { AUTONOMY_LEVELS, CHANNELS, RISK_CLASSES } from "./vocabulary";
import { msg, optionalText, text } from "../utils/forms";
import { DEFAULT_LANG, LANGUAGES } from "../utils/languages";

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

const requiredTexts = z.object(Object.fromEntries(TEXT_FIELDS.map((f) => [f, requiredText(TEXT_MAX[f])])) as Record<TextField, ReturnType<typeof requiredText>>);

/** A language not yet written may be left entirely empty; once started, every field is needed. */
const allOrNothingTexts = z
  .object(Object.fromEntries(TEXT_FIELDS.map((f) => [f, optionalText(TEXT_MAX[f])])) as Record<TextField, ReturnType<typeof optionalText>>)
  .superRefine((texts, ctx) => {
    const filled = TEXT_FIELDS.filter((f) => texts[f]);
    if (filled.length === 0 || filled.length === TEXT_FIELDS.length) return;
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
    status: z.enum(SYSTEM_STATUSES, { error: msg("chooseOne") }),
    markReviewed: z.boolean({ error: msg("invalid") }).optional(),
    texts: textsRequired ? requiredTexts : allOrNothingTexts,
    notes: notesShape,
    material: z.boolean({ error: msg("invalid") }).optional(),
  });
}
export type EditSystemInput = z.infer<ReturnType<typeof editSystemSchema>>;
