import { getInputProps, getTextareaProps, type FieldMetadata } from "@conform-to/react";
import { describedBy, Field } from "~/components/field";
import { useTranslation } from "~/utils/i18n";
import { LANGUAGE_NAMES, LANGUAGES, textDirection } from "~/utils/languages";
import { CHANGE_NOTE_MAX, CHOICE_EXPLANATION_MAX, CHOICE_LABEL_MAX } from "./choice-editor-schema";
import { LanguageFieldsets } from "./language-fieldsets";

export type ChoiceEditorFields = Record<string, FieldMetadata<string>>;

/** The field labels of the texts per language (for the error summary). */
export function choiceTextLabels(t: ReturnType<typeof useTranslation>["t"], withNotes: boolean): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const l of LANGUAGES) {
    labels[`label_${l}`] = `${LANGUAGE_NAMES[l]}: ${t("choiceEditor:fields.label")}`;
    labels[`explanation_${l}`] = `${LANGUAGE_NAMES[l]}: ${t("choiceEditor:fields.explanation")}`;
    if (withNotes) labels[`note_${l}`] = `${LANGUAGE_NAMES[l]}: ${t("choiceEditor:fields.note")}`;
  }
  return labels;
}

const TEXT_KEYS = ["label", "explanation", "note"] as const;

/**
 * A choice's label and explanation in every language, and optionally its change note: English
 * and the languages that have text open, the others in one collapsed part (LanguageFieldsets).
 */
export function ChoiceEditorTexts({ fields, withNotes }: { fields: ChoiceEditorFields; withNotes: boolean }) {
  const { t } = useTranslation();
  const hasText = (l: string) => TEXT_KEYS.some((k) => String(fields[`${k}_${l}`]?.initialValue ?? "").trim() !== "");
  const hasError = (l: string) => TEXT_KEYS.some((k) => Boolean(fields[`${k}_${l}`]?.errors?.length));
  return (
    <LanguageFieldsets hasText={hasText} hasError={hasError}>
      {(l) => {
        const label = fields[`label_${l}`]!;
        const explanation = fields[`explanation_${l}`]!;
        const note = fields[`note_${l}`];
        return (
          <fieldset className="stack-sm" lang={l} dir={textDirection(l)}>
            <legend>{LANGUAGE_NAMES[l]}</legend>
            <Field id={label.id} label={t("choiceEditor:fields.label")} errors={label.errors}>
              <input {...getInputProps(label, { type: "text" })} maxLength={CHOICE_LABEL_MAX} autoComplete="off" />
            </Field>
            <Field id={explanation.id} label={t("choiceEditor:fields.explanation")} errors={explanation.errors}>
              <textarea {...getTextareaProps(explanation)} rows={3} maxLength={CHOICE_EXPLANATION_MAX} />
            </Field>
            {withNotes && note ? (
              <Field id={note.id} label={t("choiceEditor:fields.note")} hint={t(l === "en" ? "choiceEditor:fields.noteHintEn" : "choiceEditor:fields.noteHint")} errors={note.errors}>
                <textarea {...getTextareaProps(note)} aria-describedby={describedBy(note.id, { hint: true, errors: note.errors })} rows={2} maxLength={CHANGE_NOTE_MAX} />
              </Field>
            ) : null}
          </fieldset>
        );
      }}
    </LanguageFieldsets>
  );
}
