/**
 * The register editor's data sharing and fairness fields (SPEC §12): the facts (recipients, the
 * provider's own use, protected characteristics, the last test's date) and one language's
 * explanations. Plain controls named as the schema in app/domain/ai-register-schema.ts expects
 * (`recipients[0].name`…), so the form works without JavaScript: a few empty recipient rows are
 * always shown, and a row cleared entirely is removed.
 */
import { useTranslation } from "~/utils/i18n";
import { describedBy, Field, FieldErrors } from "~/components/field";
import { ChoiceGroup, TextArea, TextInput, type FieldState } from "~/components/staff/register-fields";
import { DATA_TEXT_FIELDS, PROVIDER_DATA_USES, RECIPIENT_ROLES, TRANSFER_SAFEGUARDS, type DataTextField } from "~/domain/ai-register-data";
import type { Lang } from "~/utils/languages";

export interface RecipientFieldStates {
  key: string;
  name: FieldState;
  role: FieldState;
  country: FieldState;
  safeguard: FieldState;
}

export interface DataFactsFieldStates {
  recipients: FieldState;
  providerDataUse: FieldState;
  usesProtectedCharacteristics: FieldState;
  fairnessTestedAt: FieldState;
}

function Select({ field, label, options }: { field: FieldState; label: string; options: { value: string; label: string }[] }) {
  const { t } = useTranslation();
  return (
    <Field id={field.id} label={label} errors={field.errors}>
      <select
        id={field.id}
        name={field.name}
        defaultValue={field.defaultValue ?? ""}
        aria-invalid={field.errors?.length ? true : undefined}
        aria-describedby={describedBy(field.id, { errors: field.errors })}
      >
        <option value="">{t("registerEditor:form.choose")}</option>
        {options.map((o) => (
          <option key={o.value} value={o.value}>{o.label}</option>
        ))}
      </select>
    </Field>
  );
}

/** The facts: recipients (rows), the provider's use, protected characteristics, the test date. */
export function DataFactsFields({ fields, recipients }: { fields: DataFactsFieldStates; recipients: RecipientFieldStates[] }) {
  const { t } = useTranslation();
  const date = fields.fairnessTestedAt;
  return (
    <>
      <fieldset className="stack-sm" aria-describedby={describedBy(fields.recipients.id, { hint: true, errors: fields.recipients.errors })}>
        <legend>{t("registerData:recipients.legend")}</legend>
        <p className="field__hint" id={`${fields.recipients.id}-hint`}>{t("registerData:recipients.hint")}</p>
        {recipients.map((r, i) => (
          <fieldset key={r.key} className="register-recipient stack-sm">
            <legend>{t("registerData:recipients.row", { number: i + 1 })}</legend>
            <TextInput field={r.name} label={t("registerData:recipients.name")} />
            <div className="register-pair">
              <Select field={r.role} label={t("registerData:recipients.role")} options={RECIPIENT_ROLES.map((v) => ({ value: v, label: t(`registerData.role.${v}`) }))} />
              <TextInput field={r.country} label={t("registerData:recipients.country")} hint={t("registerData:recipients.countryHint")} maxLength={2} />
            </div>
            <Select field={r.safeguard} label={t("registerData:recipients.safeguard")} options={TRANSFER_SAFEGUARDS.map((v) => ({ value: v, label: t(`registerData.safeguard.${v}`) }))} />
          </fieldset>
        ))}
        <FieldErrors id={`${fields.recipients.id}-error`} errors={fields.recipients.errors} t={t} />
      </fieldset>
      <ChoiceGroup
        field={fields.providerDataUse}
        type="radio"
        legend={t("registerData:providerDataUse.legend")}
        hint={t("registerData:providerDataUse.hint")}
        options={PROVIDER_DATA_USES.map((v) => ({ value: v, label: t(`registerData.providerUseValue.${v}`) }))}
      />
      <ChoiceGroup
        field={fields.usesProtectedCharacteristics}
        type="radio"
        legend={t("registerData:usesProtected.legend")}
        hint={t("registerData:usesProtected.hint")}
        options={[
          { value: "yes", label: t("registerData:yes") },
          { value: "no", label: t("registerData:no") },
        ]}
      />
      <Field id={date.id} label={t("registerData:fairnessTestedAt")} hint={t("registerData:fairnessTestedAtHint")} errors={date.errors}>
        <input
          id={date.id}
          name={date.name}
          type="date"
          defaultValue={date.defaultValue ?? ""}
          aria-invalid={date.errors?.length ? true : undefined}
          aria-describedby={describedBy(date.id, { hint: true, errors: date.errors })}
        />
      </Field>
    </>
  );
}

/** One language's explanations about data and fairness. */
export function DataTextsFields({ fields, lang }: { fields: Record<DataTextField, FieldState>; lang: Lang }) {
  const { t } = useTranslation();
  return (
    <>
      {DATA_TEXT_FIELDS.map((f) => (
        <TextArea key={f} field={fields[f]} label={t(`registerData:fields.${f}.label`)} hint={t(`registerData:fields.${f}.hint`)} lang={lang} rows={3} />
      ))}
    </>
  );
}

/** The labels of the data fields by name, for the form's error summary. */
export function registerDataFieldLabels(t: ReturnType<typeof useTranslation>["t"], rows: number): Record<string, string> {
  const labels: Record<string, string> = {
    recipients: t("registerData:recipients.legend"),
    providerDataUse: t("registerData:providerDataUse.legend"),
    usesProtectedCharacteristics: t("registerData:usesProtected.legend"),
    fairnessTestedAt: t("registerData:fairnessTestedAt"),
  };
  for (const f of DATA_TEXT_FIELDS) labels[`texts.${f}`] = t(`registerData:fields.${f}.label`);
  for (let i = 0; i < rows; i++) {
    const row = t("registerData:recipients.row", { number: i + 1 });
    labels[`recipients[${i}].name`] = `${row}: ${t("registerData:recipients.name")}`;
    labels[`recipients[${i}].role`] = `${row}: ${t("registerData:recipients.role")}`;
    labels[`recipients[${i}].country`] = `${row}: ${t("registerData:recipients.country")}`;
    labels[`recipients[${i}].safeguard`] = `${row}: ${t("registerData:recipients.safeguard")}`;
  }
  return labels;
}
