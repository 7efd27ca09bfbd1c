import { getFormProps, getInputProps, getTextareaProps, useForm, type SubmissionResult } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { Form } from "react-router";
import { describedBy, Field, FieldErrors } from "~/components/field";
import { FormErrorSummary } from "~/components/form-error-summary";
import { useSubmission } from "~/components/use-submission";
import { useTranslation } from "~/utils/i18n";
import { LANGUAGE_NAMES, textDirection } from "~/utils/languages";
import { AUDIT_RESULT_VALUES, AuditsSchema, SUMMARY_LANGS, summaryField } from "./audits-schema";
import { LanguageFieldsets } from "./language-fieldsets";

export interface StaffChoice {
  id: number;
  name: string;
}

/** The values an audit form starts with (a correction: the recorded audit); summaries as `summaryEn`, `summaryFr`, … (summaryField). */
export type AuditFormValues = {
  auditedOn: string;
  auditorName: string;
  auditorStaffId: string;
  scope: string;
  findings: string;
  result: string;
} & Record<string, string>;

type Result = SubmissionResult<string[]> | undefined;

function StaffSelect({ id, name, value, label, hint, staff, errors, emptyLabel, formKey }: { id: string; name: string; value: string; label: string; hint?: string; staff: StaffChoice[]; errors?: string[]; emptyLabel: string; formKey?: string }) {
  return (
    <Field id={id} label={label} hint={hint} errors={errors}>
      <select key={`${formKey ?? ""}-${id}`} id={id} name={name} defaultValue={value} aria-describedby={describedBy(id, { hint: Boolean(hint), errors })}>
        <option value="">{emptyLabel}</option>
        {staff.map((s) => (
          <option key={s.id} value={String(s.id)}>{s.name}</option>
        ))}
      </select>
    </Field>
  );
}

/** Record a new audit, or correct a recorded one (`auditId`): every field, public summaries per language. */
export function AuditsAuditForm({ formId, auditId, values, staff, lastResult, action }: { formId: string; auditId?: number; values: AuditFormValues; staff: StaffChoice[]; lastResult: Result; action: string }) {
  const { t } = useTranslation();
  const intent = auditId ? "correct" : "record";
  const [form, fields] = useForm({
    id: formId,
    lastResult,
    defaultValue: { intent, ...(auditId ? { auditId: String(auditId) } : {}), ...values },
    shouldValidate: "onSubmit",
    shouldRevalidate: "onInput",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: AuditsSchema }),
  });
  type FieldOf = typeof fields.intent;
  const f = fields as unknown as Record<"auditedOn" | "auditorName" | "auditorStaffId" | "scope" | "findings" | "result", FieldOf> & Record<string, FieldOf | undefined>;
  const props = getFormProps(form);
  const submitting = useSubmission(props.onSubmit);
  const labels: Record<string, string> & Record<"auditedOn" | "auditorName" | "auditorStaffId" | "scope" | "findings" | "result", string> = {
    auditedOn: t("audits:fields.auditedOn"),
    auditorName: t("audits:fields.auditorName"),
    auditorStaffId: t("audits:fields.auditorStaff"),
    scope: t("audits:fields.scope"),
    findings: t("audits:fields.findings"),
    result: t("audits:fields.result"),
    ...Object.fromEntries(SUMMARY_LANGS.map((l) => [summaryField(l), t("audits:fields.summary", { language: LANGUAGE_NAMES[l] })])),
  };
  return (
    <>
      <FormErrorSummary form={form} labels={labels} />
      <Form method="post" action={action} {...props} onSubmit={auditId ? props.onSubmit : submitting.onSubmit} className="stack">
        <input type="hidden" name="intent" value={intent} />
        {auditId ? <input type="hidden" name="auditId" value={auditId} /> : null}
        <Field id={f.auditedOn.id} label={labels.auditedOn} hint={t("audits:fields.dayHint")} errors={f.auditedOn.errors}>
          <input {...getInputProps(f.auditedOn, { type: "date" })} aria-describedby={describedBy(f.auditedOn.id, { hint: true, errors: f.auditedOn.errors })} />
        </Field>
        <Field id={f.auditorName.id} label={labels.auditorName} hint={t("audits:fields.auditorNameHint")} errors={f.auditorName.errors}>
          <input {...getInputProps(f.auditorName, { type: "text" })} aria-describedby={describedBy(f.auditorName.id, { hint: true, errors: f.auditorName.errors })} maxLength={120} autoComplete="off" />
        </Field>
        <StaffSelect
          id={f.auditorStaffId.id}
          name={f.auditorStaffId.name}
          value={String(f.auditorStaffId.initialValue ?? values.auditorStaffId)}
          formKey={form.key}
          label={labels.auditorStaffId}
          hint={t("audits:fields.auditorStaffHint")}
          staff={staff}
          errors={f.auditorStaffId.errors}
          emptyLabel={t("audits:fields.noStaff")}
        />
        <Field id={f.scope.id} label={labels.scope} hint={t("audits:fields.scopeHint")} errors={f.scope.errors}>
          <textarea {...getTextareaProps(f.scope)} aria-describedby={describedBy(f.scope.id, { hint: true, errors: f.scope.errors })} rows={3} />
        </Field>
        <Field id={f.findings.id} label={labels.findings} errors={f.findings.errors}>
          <textarea {...getTextareaProps(f.findings)} rows={5} />
        </Field>
        <fieldset className="stack-sm" aria-describedby={f.result.errors?.length ? `${f.result.id}-error` : undefined}>
          <legend>{labels.result}</legend>
          {AUDIT_RESULT_VALUES.map((r) => (
            <label className="radio" key={r}>
              <input key={`${form.key}-${r}`} type="radio" name={f.result.name} value={r} defaultChecked={String(f.result.initialValue ?? values.result) === r} id={r === AUDIT_RESULT_VALUES[0] ? f.result.id : undefined} />
              <span className="radio__label">{t(`audits:results.${r}`)}</span>
            </label>
          ))}
          <FieldErrors id={`${f.result.id}-error`} errors={f.result.errors} t={t} />
        </fieldset>
        <fieldset className="stack">
          <legend>{t("audits:fields.summaries")}</legend>
          <p className="muted">{t("audits:fields.summariesHint")}</p>
          <LanguageFieldsets
            languages={SUMMARY_LANGS}
            hasText={(l) => String(f[summaryField(l)]!.initialValue ?? "").trim() !== ""}
            hasError={(l) => Boolean(f[summaryField(l)]!.errors?.length)}
          >
            {(l) => {
              const field = f[summaryField(l)]!;
              return (
                <Field id={field.id} label={labels[summaryField(l)]} errors={field.errors}>
                  <textarea {...getTextareaProps(field)} rows={3} lang={l} dir={textDirection(l)} />
                </Field>
              );
            }}
          </LanguageFieldsets>
        </fieldset>
        <div className="form-actions">
          <button type="submit" className="button" disabled={!auditId && submitting.pending}>
            {auditId ? t("audits:correct.submit") : t("audits:record.submit")}
          </button>
        </div>
      </Form>
    </>
  );
}

/** Add an action (text, owner, due day) to a recorded audit. */
export function AuditsActionForm({ auditId, staff, lastResult, action }: { auditId: number; staff: StaffChoice[]; lastResult: Result; action: string }) {
  const { t } = useTranslation();
  const [form, fields] = useForm({
    id: `audit-${auditId}-action`,
    lastResult,
    defaultValue: { intent: "addAction", auditId: String(auditId) },
    shouldValidate: "onSubmit",
    shouldRevalidate: "onInput",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: AuditsSchema }),
  });
  const f = fields as unknown as Record<"text" | "ownerId" | "dueOn", typeof fields.intent>;
  const props = getFormProps(form);
  const submitting = useSubmission(props.onSubmit);
  return (
    <Form method="post" action={action} {...props} onSubmit={submitting.onSubmit} className="stack">
      <input type="hidden" name="intent" value="addAction" />
      <input type="hidden" name="auditId" value={auditId} />
      <FieldErrors id={form.errorId} errors={form.errors} t={t} />
      <Field id={f.text.id} label={t("audits:fields.actionText")} errors={f.text.errors}>
        <input {...getInputProps(f.text, { type: "text" })} maxLength={500} autoComplete="off" />
      </Field>
      <StaffSelect id={f.ownerId.id} name={f.ownerId.name} value={String(f.ownerId.initialValue ?? "")} formKey={form.key} label={t("audits:fields.owner")} staff={staff} errors={f.ownerId.errors} emptyLabel={t("audits:fields.noOwner")} />
      <Field id={f.dueOn.id} label={t("audits:fields.dueOn")} hint={t("audits:fields.dayHint")} errors={f.dueOn.errors}>
        <input {...getInputProps(f.dueOn, { type: "date" })} aria-describedby={describedBy(f.dueOn.id, { hint: true, errors: f.dueOn.errors })} />
      </Field>
      <div className="form-actions">
        <button type="submit" className="button button--secondary" disabled={submitting.pending}>{t("audits:actions.add")}</button>
      </div>
    </Form>
  );
}

/** The audit interval in months. */
export function AuditsIntervalForm({ months, lastResult, action }: { months: number; lastResult: Result; action: string }) {
  const { t } = useTranslation();
  const [form, fields] = useForm({
    id: "audit-interval",
    lastResult,
    defaultValue: { intent: "interval", months: String(months) },
    shouldValidate: "onSubmit",
    shouldRevalidate: "onInput",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: AuditsSchema }),
  });
  const f = fields as unknown as Record<"months", typeof fields.intent>;
  return (
    <Form method="post" action={action} {...getFormProps(form)} className="stack">
      <input type="hidden" name="intent" value="interval" />
      <Field id={f.months.id} label={t("audits:interval.months")} hint={t("audits:interval.hint")} errors={f.months.errors}>
        <input {...getInputProps(f.months, { type: "number" })} min={1} max={60} step={1} inputMode="numeric" aria-describedby={describedBy(f.months.id, { hint: true, errors: f.months.errors })} />
      </Field>
      <div className="form-actions">
        <button type="submit" className="button button--secondary">{t("audits:interval.submit")}</button>
      </div>
    </Form>
  );
}
