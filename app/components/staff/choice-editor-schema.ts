/**
 * The choice editor's forms (SPEC §12): one flat schema each for client and server — a choice's
 * texts per language (a new version with a change note, or a wording fix), and a new action kind.
 */
import { z } from "zod";
import { CHOICE_VALUES } from "~/domain/vocabulary";
import { crossField, msg, optionalText, text } from "~/utils/forms";
import { DEFAULT_LANG, LANGUAGES, type Lang } from "~/utils/languages";

/** The limits of a choice's texts (the domain refuses empty ones). */
export const CHOICE_LABEL_MAX = 120;
export const CHOICE_EXPLANATION_MAX = 1000;
export const CHANGE_NOTE_MAX = 500;
export const ACTION_KIND_KEY_PATTERN = /^[a-z][a-z0-9-]{1,39}$/;

// English is required (the fallback); another language has both texts or neither (a language
// without text shows customers the English one, marked).
const textFields = Object.fromEntries(
  LANGUAGES.flatMap((l): [string, ReturnType<typeof text> | ReturnType<typeof optionalText>][] => [
    [`label_${l}`, l === DEFAULT_LANG ? text({ max: CHOICE_LABEL_MAX }) : optionalText(CHOICE_LABEL_MAX)],
    [`explanation_${l}`, l === DEFAULT_LANG ? text({ max: CHOICE_EXPLANATION_MAX }) : optionalText(CHOICE_EXPLANATION_MAX)],
  ]),
) as Record<string, ReturnType<typeof text> | ReturnType<typeof optionalText>>;

const noteFields = Object.fromEntries(LANGUAGES.map((l) => [`note_${l}`, optionalText(CHANGE_NOTE_MAX)])) as Record<string, ReturnType<typeof optionalText>>;

/** A language's label without its explanation (or the reverse) is refused on the empty one. */
function bothOrNeither<T extends z.ZodType>(schema: T): z.ZodType<z.output<T>> {
  const given = (v: unknown, name: string) => Boolean((v as Record<string, unknown>)[name]);
  return LANGUAGES.filter((l) => l !== DEFAULT_LANG).reduce<z.ZodType<z.output<T>>>(
    (s, l) =>
      s
        .refine((v) => given(v, `label_${l}`) || !given(v, `explanation_${l}`), { path: [`label_${l}`], message: msg("required"), when: crossField })
        .refine((v) => given(v, `explanation_${l}`) || !given(v, `label_${l}`), { path: [`explanation_${l}`], message: msg("required"), when: crossField }),
    schema as unknown as z.ZodType<z.output<T>>,
  );
}

export const NoticeEditSchema = bothOrNeither(z
  .object({
    mode: z.enum(["version", "fix"], { error: msg("chooseOne") }),
    ...textFields,
    ...noteFields,
  })
  // A new version says what changed (at least in English, the fallback for the other languages).
  .refine((v) => v.mode !== "version" || Boolean((v as Record<string, unknown>).note_en), { path: ["note_en"], message: msg("choiceEditor:errors.noteRequired"), when: crossField }));

export const ActionKindSchema = bothOrNeither(z.object({
  key: z
    .string({ error: msg("required") })
    .trim()
    .toLowerCase()
    .regex(ACTION_KIND_KEY_PATTERN, msg("choiceEditor:errors.key")),
  ...textFields,
  involvesAmount: z.literal("on").optional(),
  position: z.number({ error: msg("choiceEditor:errors.position") }).min(0, msg("choiceEditor:errors.position")).max(1000, msg("choiceEditor:errors.position")).refine(Number.isInteger, msg("choiceEditor:errors.position")),
  defaultValue: z.enum(CHOICE_VALUES.action, { error: msg("chooseOne") }),
}));

/** The texts of a parsed form, per language that has them (English always). */
export function textsFromForm(value: Record<string, unknown>): Partial<Record<Lang, { label: string; explanation: string }>> {
  const texts: Partial<Record<Lang, { label: string; explanation: string }>> = {};
  for (const l of LANGUAGES) {
    const label = value[`label_${l}`];
    const explanation = value[`explanation_${l}`];
    if (typeof label === "string" && label && typeof explanation === "string" && explanation) texts[l] = { label, explanation };
  }
  return texts;
}

/** The change notes of a parsed form, per language (only the ones given). */
export function notesFromForm(value: Record<string, unknown>): Partial<Record<Lang, string>> {
  const notes: Partial<Record<Lang, string>> = {};
  for (const l of LANGUAGES) {
    const note = value[`note_${l}`];
    if (typeof note === "string" && note) notes[l] = note;
  }
  return notes;
}
