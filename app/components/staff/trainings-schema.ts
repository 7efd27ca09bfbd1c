import { z } from "zod";
import { crossField, msg, optionalText, text } from "~/utils/forms";

/** Longest course name and evidence note (characters as the user sees them). */
export const TRAINING_COURSE_MAX = 200;
export const TRAINING_EVIDENCE_MAX = 1000;

const blankToUndefined = (v: unknown) => (typeof v === "string" && v.trim() === "" ? undefined : v);
const isoDay = z.string({ error: msg("trainings:errors.invalid_date") }).regex(/^\d{4}-\d{2}-\d{2}$/, msg("trainings:errors.invalid_date"));
const id = z.number({ error: msg("invalid") }).int(msg("invalid")).positive(msg("invalid")).max(Number.MAX_SAFE_INTEGER, msg("invalid"));

const fields = {
  course: text({ max: TRAINING_COURSE_MAX }),
  completedOn: isoDay,
  validUntil: z.preprocess(blankToUndefined, isoDay.optional()),
  evidenceNote: optionalText(TRAINING_EVIDENCE_MAX),
};

/** An end before the completion day (both "YYYY-MM-DD": compared as text). */
const endsInOrder = {
  check: (v: { completedOn?: unknown; validUntil?: unknown }) => typeof v.validUntil !== "string" || typeof v.completedOn !== "string" || v.validUntil >= v.completedOn,
  options: { message: msg("trainings:errors.ends_before_completed"), path: ["validUntil"], when: crossField },
};

/** The one schema of the trainings page's forms (client and server): record, correct, delete. */
export const TrainingsSchema = z.discriminatedUnion("intent", [
  z
    .object({ intent: z.literal("record"), staffId: z.number({ error: msg("trainings:errors.unknown_staff") }).int().positive().max(Number.MAX_SAFE_INTEGER), ...fields })
    .refine(endsInOrder.check, endsInOrder.options),
  z.object({ intent: z.literal("correct"), trainingId: id, ...fields }).refine(endsInOrder.check, endsInOrder.options),
  z.object({ intent: z.literal("delete"), trainingId: id, confirm: z.literal("yes", { error: msg("trainings:errors.confirm") }) }),
]);
