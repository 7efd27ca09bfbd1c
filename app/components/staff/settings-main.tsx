import { getFormProps, getInputProps, useForm, type FieldMetadata, type SubmissionResult } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { Form } from "react-router";
import { describedBy, Field } from "~/components/field";
import { FormErrorSummary } from "~/components/form-error-summary";
import { PRIORITIES } from "~/domain/vocabulary";
import { useTranslation } from "~/utils/i18n";
import { LANGUAGE_NAMES, LANGUAGES } from "~/utils/languages";
import { AUTHORITIES, RANGES, SettingsSchema, SLA_RANGE } from "./settings-schema";

type Fields = Record<string, FieldMetadata<string>>;

/** The company settings form (SPEC §12): company, authorities, SLA per priority, periods, training rule. */
export function SettingsMainForm({ values, lastResult }: { values: Record<string, string>; lastResult: SubmissionResult<string[]> | undefined }) {
  const { t } = useTranslation();
  const [form, fields] = useForm({
    id: "settings",
    lastResult,
    defaultValue: values,
    shouldValidate: "onSubmit",
    shouldRevalidate: "onInput",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: SettingsSchema }),
  });
  const f = fields as unknown as Fields;
  const labels: Record<string, string> = {
    companyName: t("settings:fields.companyName"),
    privacyContactEmail: t("settings:fields.privacyContactEmail"),
    privacyPolicyUrl: t("settings:fields.privacyPolicyUrl"),
  };
  for (const a of AUTHORITIES) {
    labels[`${a}Name`] = `${t(`settings:authorities.${a}`)}: ${t("settings:fields.authorityName")}`;
    labels[`${a}Url`] = `${t(`settings:authorities.${a}`)}: ${t("settings:fields.authorityUrl")}`;
    for (const l of LANGUAGES) labels[`${a}Name_${l}`] = `${t(`settings:authorities.${a}`)}: ${t("settings:fields.authorityNameIn", { language: LANGUAGE_NAMES[l] })}`;
  }
  for (const p of PRIORITIES) {
    labels[`sla_${p}_first`] = `${t(`queue:priority.${p}`)}: ${t("settings:fields.slaFirst")}`;
    labels[`sla_${p}_resolution`] = `${t(`queue:priority.${p}`)}: ${t("settings:fields.slaResolution")}`;
  }
  for (const key of Object.keys(RANGES)) labels[key] = t(`settings:fields.${key}`);
  const text = (name: string, options: { type?: "text" | "email" | "url"; hint?: string; label?: string; lang?: string } = {}) => {
    const field = f[name]!;
    return (
      <Field key={name} id={field.id} label={options.label ?? labels[name]} hint={options.hint} errors={field.errors}>
        <input
          {...getInputProps(field, { type: options.type ?? "text" })}
          aria-describedby={describedBy(field.id, { hint: Boolean(options.hint), errors: field.errors })}
          lang={options.lang}
          autoComplete="off"
        />
      </Field>
    );
  };
  const number = (name: string, range: { min: number; max: number }, label: string, hint?: string) => {
    const field = f[name]!;
    return (
      <Field key={name} id={field.id} label={label} hint={hint} errors={field.errors}>
        <input
          {...getInputProps(field, { type: "number" })}
          min={range.min}
          max={range.max}
          step={1}
          inputMode="numeric"
          aria-describedby={describedBy(field.id, { hint: Boolean(hint), errors: field.errors })}
        />
      </Field>
    );
  };
  return (
    <section className="card stack" aria-labelledby="settings-company-title">
      <h2 id="settings-company-title">{t("settings:company.title")}</h2>
      <FormErrorSummary form={form} labels={labels} />
      <Form method="post" {...getFormProps(form)} className="stack" key={form.key}>
        <input type="hidden" name="intent" value="settings" />
        {text("companyName")}
        {text("privacyContactEmail", { type: "email" })}
        {text("privacyPolicyUrl", { type: "url" })}

        <h3>{t("settings:authorities.title")}</h3>
        <p className="muted">{t("settings:authorities.lead")}</p>
        {AUTHORITIES.map((a) => (
          <fieldset key={a} className="stack">
            <legend>{t(`settings:authorities.${a}`)}</legend>
            {text(`${a}Name`, { label: t("settings:fields.authorityName") })}
            {text(`${a}Url`, { type: "url", label: t("settings:fields.authorityUrl"), hint: t("settings:fields.authorityUrlHint") })}
            <details>
              <summary>{t("settings:fields.authorityNamesPerLanguage")}</summary>
              <div className="stack">
                {LANGUAGES.map((l) => text(`${a}Name_${l}`, { label: t("settings:fields.authorityNameIn", { language: LANGUAGE_NAMES[l] }), lang: l }))}
              </div>
            </details>
          </fieldset>
        ))}

        <h3>{t("settings:sla.title")}</h3>
        <p className="muted">{t("settings:sla.lead")}</p>
        {PRIORITIES.map((p) => (
          <fieldset key={p} className="stack-sm">
            <legend>{t(`queue:priority.${p}`)}</legend>
            {number(`sla_${p}_first`, SLA_RANGE, t("settings:fields.slaFirst"))}
            {number(`sla_${p}_resolution`, SLA_RANGE, t("settings:fields.slaResolution"))}
          </fieldset>
        ))}

        <h3>{t("settings:periods.title")}</h3>
        {number("linkLifetimeDays", RANGES.linkLifetimeDays, labels.linkLifetimeDays!, t("settings:fields.linkLifetimeDaysHint"))}
        {number("reopenGraceDays", RANGES.reopenGraceDays, labels.reopenGraceDays!, t("settings:fields.reopenGraceDaysHint"))}
        {number("retentionClosedConcernMonths", RANGES.retentionClosedConcernMonths, labels.retentionClosedConcernMonths!, t("settings:fields.retentionClosedConcernMonthsHint"))}
        {number("retentionLinksAndSessionsDays", RANGES.retentionLinksAndSessionsDays, labels.retentionLinksAndSessionsDays!, t("settings:fields.retentionLinksAndSessionsDaysHint"))}

        <h3>{t("settings:training.title")}</h3>
        <label className="radio" key={`${form.key}-training`}>
          <input type="checkbox" id={f.requireTraining!.id} name="requireTraining" value="on" defaultChecked={f.requireTraining!.initialValue === "on"} />
          <span>
            <span className="radio__label">{t("settings:fields.requireTraining")}</span>
            <span className="radio__hint">{t("settings:fields.requireTrainingHint")}</span>
          </span>
        </label>
        <div className="form-actions">
          <button type="submit" className="button">{t("settings:company.submit")}</button>
        </div>
      </Form>
    </section>
  );
}
