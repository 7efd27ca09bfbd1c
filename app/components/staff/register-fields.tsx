/**
 * The register editor's form fields (create and edit pages). Plain controls with names that match
 * the Conform + Zod schema in app/domain/ai-register-schema.ts, so the forms work without JavaScript.
 */
import { useTranslation } from "~/utils/i18n";
import { describedBy, Field, FieldErrors } from "~/components/field";
import { AUTONOMY_LEVELS, CHANNELS, RISK_CLASSES } from "~/domain/vocabulary";
import { LANGUAGE_NAMES, LANGUAGES, textDirection, type Lang } from "~/utils/languages";
import { LanguageFieldsets } from "./language-fieldsets";
import { EMAIL_MAX, SINGLE_LINE, SYSTEM_STATUSES, TEXT_FIELDS, type TextField } from "~/domain/ai-register-schema";

/** What a field needs from Conform's field metadata. */
export interface FieldState {
  id: string;
  name: string;
  defaultValue?: string;
  defaultOptions?: string[];
  defaultChecked?: boolean;
  errors?: string[];
}

const invalid = (field: FieldState) => (field.errors?.length ? true : undefined);

export function TextInput({
  field,
  label,
  hint,
  maxLength,
  type = "text",
  lang,
  autoComplete = "off",
}: {
  field: FieldState;
  label: string;
  hint?: string;
  /** Only for codes and addresses: the element's maxlength counts UTF-16 units, not characters. */
  maxLength?: number;
  type?: "text" | "email";
  lang?: Lang;
  autoComplete?: string;
}) {
  return (
    <Field id={field.id} label={label} hint={hint} errors={field.errors}>
      <input
        id={field.id}
        name={field.name}
        type={type}
        defaultValue={field.defaultValue ?? ""}
        maxLength={maxLength}
        autoComplete={autoComplete}
        lang={lang}
        dir={lang ? textDirection(lang) : undefined}
        aria-invalid={invalid(field)}
        aria-describedby={describedBy(field.id, { hint: Boolean(hint), errors: field.errors })}
      />
    </Field>
  );
}

// No maxlength on free text: the browser counts UTF-16 units (an emoji is two, a CRLF two);
// the schema counts characters as the user sees them (textLength).
export function TextArea({ field, label, hint, lang, rows = 4 }: { field: FieldState; label: string; hint?: string; lang?: Lang; rows?: number }) {
  return (
    <Field id={field.id} label={label} hint={hint} errors={field.errors}>
      <textarea
        id={field.id}
        name={field.name}
        defaultValue={field.defaultValue ?? ""}
        rows={rows}
        lang={lang}
        dir={lang ? textDirection(lang) : undefined}
        aria-invalid={invalid(field)}
        aria-describedby={describedBy(field.id, { hint: Boolean(hint), errors: field.errors })}
      />
    </Field>
  );
}

function SelectField({ field, label, options }: { field: FieldState; label: string; options: { value: string; label: string }[] }) {
  const { t } = useTranslation();
  return (
    <Field id={field.id} label={label} errors={field.errors}>
      <select id={field.id} name={field.name} defaultValue={field.defaultValue ?? ""} aria-invalid={invalid(field)} aria-describedby={describedBy(field.id, { errors: field.errors })}>
        <option value="">{t("registerEditor:form.choose")}</option>
        {options.map((o) => (
          <option key={o.value} value={o.value}>{o.label}</option>
        ))}
      </select>
    </Field>
  );
}

/** A group of checkboxes (several values) or radios (one value) under a legend. */
export function ChoiceGroup({
  field,
  legend,
  hint,
  type,
  options,
}: {
  field: FieldState;
  legend: string;
  hint?: string;
  type: "checkbox" | "radio";
  options: { value: string; label: string; hint?: string }[];
}) {
  const { t } = useTranslation();
  const selected = field.defaultOptions ?? [];
  return (
    <fieldset
      className={`stack-sm${field.errors?.length ? " field--invalid" : ""}`}
      aria-describedby={describedBy(field.id, { hint: Boolean(hint), errors: field.errors })}
    >
      <legend>{legend}</legend>
      {hint ? <p className="field__hint" id={`${field.id}-hint`}>{hint}</p> : null}
      <div className="register-options">
        {options.map((o) => (
          <label key={o.value} className="radio">
            <input type={type} name={field.name} value={o.value} defaultChecked={selected.includes(o.value)} />
            <span>
              <span className="radio__label">{o.label}</span>
              {o.hint ? <span className="radio__hint">{o.hint}</span> : null}
            </span>
          </label>
        ))}
      </div>
      <FieldErrors id={`${field.id}-error`} errors={field.errors} t={t} />
    </fieldset>
  );
}

/** One checkbox with a label and an optional explanation. */
export function Checkbox({ field, label, hint }: { field: FieldState; label: string; hint?: string }) {
  const { t } = useTranslation();
  return (
    <div className={field.errors?.length ? "field--invalid" : undefined}>
      <label className="radio">
        <input type="checkbox" id={field.id} name={field.name} defaultChecked={field.defaultChecked} aria-describedby={describedBy(field.id, { hint: Boolean(hint), errors: field.errors })} />
        <span>
          <span className="radio__label">{label}</span>
          {hint ? <span className="radio__hint" id={`${field.id}-hint`}>{hint}</span> : null}
        </span>
      </label>
      <FieldErrors id={`${field.id}-error`} errors={field.errors} t={t} />
    </div>
  );
}

export interface FactsFieldStates {
  provider: FieldState;
  riskClass: FieldState;
  autonomy: FieldState;
  channels: FieldState;
  contactEmail: FieldState;
  actions: FieldState;
  status?: FieldState;
}

/** The facts of a system: provider, risk class, role, channels, status, contact, actions. */
export function FactsFields({ fields, actionChoices }: { fields: FactsFieldStates; actionChoices: { key: string; label: string }[] }) {
  const { t } = useTranslation();
  return (
    <>
      <TextInput field={fields.provider} label={t("registerEditor:facts.provider")} hint={t("registerEditor:facts.providerHint")} />
      <div className="register-pair">
        <SelectField field={fields.riskClass} label={t("registerEditor:facts.riskClass")} options={RISK_CLASSES.map((r) => ({ value: r, label: t(`register.risk.${r}`) }))} />
        <SelectField field={fields.autonomy} label={t("registerEditor:facts.autonomy")} options={AUTONOMY_LEVELS.map((a) => ({ value: a, label: t(`register.autonomy.${a}`) }))} />
      </div>
      <ChoiceGroup field={fields.channels} type="checkbox" legend={t("registerEditor:facts.channels")} hint={t("registerEditor:facts.channelsHint")} options={CHANNELS.map((c) => ({ value: c, label: t(`channels.${c}`) }))} />
      {fields.status ? (
        <ChoiceGroup
          field={fields.status}
          type="radio"
          legend={t("registerEditor:facts.status")}
          options={SYSTEM_STATUSES.map((s) => ({ value: s, label: t(`register.status.${s}`), hint: t(`registerEditor:facts.statusHints.${s}`) }))}
        />
      ) : null}
      <TextInput field={fields.contactEmail} type="email" label={t("registerEditor:facts.contactEmail")} hint={t("registerEditor:facts.contactEmailHint")} maxLength={EMAIL_MAX} autoComplete="email" />
      <ChoiceGroup
        field={fields.actions}
        type="checkbox"
        legend={t("registerEditor:facts.actions")}
        hint={t("registerEditor:facts.actionsHint")}
        options={actionChoices.map((a) => ({ value: a.key, label: a.label }))}
      />
    </>
  );
}

/** Every text field of one language. */
export function TextsFields({ fields, lang }: { fields: Record<TextField, FieldState>; lang: Lang }) {
  const { t } = useTranslation();
  return (
    <>
      {TEXT_FIELDS.map((f) =>
        SINGLE_LINE.includes(f) ? (
          <TextInput key={f} field={fields[f]} label={t(`registerEditor:fields.${f}.label`)} hint={t(`registerEditor:fields.${f}.hint`)} lang={lang} />
        ) : (
          <TextArea key={f} field={fields[f]} label={t(`registerEditor:fields.${f}.label`)} hint={t(`registerEditor:fields.${f}.hint`)} lang={lang} rows={f === "shortDescription" ? 3 : 5} />
        ),
      )}
    </>
  );
}

/**
 * The change note in every language (English required): English, the language being edited and
 * the notes already written open, the others in one collapsed part (LanguageFieldsets).
 */
export function NotesFields({ fields, lang }: { fields: Record<Lang, FieldState>; lang?: Lang }) {
  const { t } = useTranslation();
  return (
    <LanguageFieldsets hasText={(l) => l === lang || Boolean(fields[l].defaultValue?.trim())} hasError={(l) => Boolean(fields[l].errors?.length)}>
      {(l) => (
        <TextArea
          field={fields[l]}
          label={t(l === "en" ? "registerEditor:change.noteRequired" : "registerEditor:change.noteOptional", { language: LANGUAGE_NAMES[l] })}
          lang={l}
          rows={2}
        />
      )}
    </LanguageFieldsets>
  );
}

/** The visible label of every register-editor field by name, for the form's error summary. */
export function registerFieldLabels(t: ReturnType<typeof useTranslation>["t"]): Record<string, string> {
  return {
    slug: t("registerEditor:create.slug"),
    provider: t("registerEditor:facts.provider"),
    riskClass: t("registerEditor:facts.riskClass"),
    autonomy: t("registerEditor:facts.autonomy"),
    channels: t("registerEditor:facts.channels"),
    status: t("registerEditor:facts.status"),
    contactEmail: t("registerEditor:facts.contactEmail"),
    actions: t("registerEditor:facts.actions"),
    ...Object.fromEntries(TEXT_FIELDS.map((f) => [f, t(`registerEditor:fields.${f}.label`)])),
    note: t("registerEditor:create.note"),
    ...Object.fromEntries(LANGUAGES.map((l) => [`notes.${l}`, t(l === "en" ? "registerEditor:change.noteRequired" : "registerEditor:change.noteOptional", { language: LANGUAGE_NAMES[l] })])),
  };
}
