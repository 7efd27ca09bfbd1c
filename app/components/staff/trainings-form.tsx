import { getFormProps, getInputProps, getSelectProps, getTextareaProps, useForm, type SubmissionResult } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { Form, Link } from "react-router";
import { describedBy, Field } from "~/components/field";
import { FormErrorSummary } from "~/components/form-error-summary";
import { useTranslation } from "~/utils/i18n";
import { TrainingsSchema } from "./trainings-schema";

/** What the "correct" form starts from (the training being corrected). */
export interface TrainingsEditView {
  id: number;
  staffName: string;
  course: string;
  completedOn: string;
  validUntil: string | null;
  evidenceNote: string;
}

function withoutPerson<T extends { staffId: string }>({ staffId: _staffId, ...rest }: T): Omit<T, "staffId"> {
  return rest;
}

/**
 * The admin's form: record a training for a person, or (with `editing`) correct one. Works without
 * JavaScript; a refused submission comes back with what was typed and translated errors.
 */
export function TrainingsForm({
  staff,
  editing,
  lastResult,
  busy,
}: {
  staff: { id: number; name: string }[];
  editing: TrainingsEditView | null;
  lastResult: SubmissionResult<string[]> | undefined;
  busy: boolean;
}) {
  const { t } = useTranslation();
  const intent = editing ? "correct" : "record";
  const [form, fields] = useForm({
    id: editing ? `training-correct-${editing.id}` : "training-record",
    lastResult,
    defaultValue: editing
      ? { intent, trainingId: String(editing.id), course: editing.course, completedOn: editing.completedOn, validUntil: editing.validUntil ?? "", evidenceNote: editing.evidenceNote }
      : { intent },
    shouldValidate: "onSubmit",
    shouldRevalidate: "onInput",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: TrainingsSchema }),
  });
  const f = fields as unknown as Record<"staffId" | "course" | "completedOn" | "validUntil" | "evidenceNote", typeof fields.intent>;
  const labels = {
    staffId: t("trainings:form.person"),
    course: t("trainings:form.course"),
    completedOn: t("trainings:form.completedOn"),
    validUntil: t("trainings:form.validUntil"),
    evidenceNote: t("trainings:form.evidence"),
  };
  return (
    <section className="card stack" id="training-form" aria-labelledby="training-form-title">
      <h2 id="training-form-title">{editing ? t("trainings:form.correctTitle", { name: editing.staffName }) : t("trainings:form.recordTitle")}</h2>
      <FormErrorSummary form={form} labels={editing ? withoutPerson(labels) : labels} />
      <Form method="post" action={editing ? `/staff/trainings?edit=${editing.id}` : "/staff/trainings"} {...getFormProps(form)} className="stack">
        <input type="hidden" name="intent" value={intent} />
        {editing ? <input type="hidden" name="trainingId" value={editing.id} /> : null}
        {editing ? null : (
          <Field id={f.staffId.id} label={labels.staffId} errors={f.staffId.errors}>
            <select {...getSelectProps(f.staffId)} aria-describedby={describedBy(f.staffId.id, { errors: f.staffId.errors })}>
              <option value="">{t("trainings:form.choosePerson")}</option>
              {staff.map((s) => (
                <option key={s.id} value={s.id}>{s.name}</option>
              ))}
            </select>
          </Field>
        )}
        <Field id={f.course.id} label={labels.course} hint={t("trainings:form.courseHint")} errors={f.course.errors}>
          <input {...getInputProps(f.course, { type: "text" })} aria-describedby={describedBy(f.course.id, { hint: true, errors: f.course.errors })} dir="auto" autoComplete="off" />
        </Field>
        <Field id={f.completedOn.id} label={labels.completedOn} errors={f.completedOn.errors}>
          <input {...getInputProps(f.completedOn, { type: "date" })} aria-describedby={describedBy(f.completedOn.id, { errors: f.completedOn.errors })} />
        </Field>
        <Field id={f.validUntil.id} label={labels.validUntil} hint={t("trainings:form.validUntilHint")} errors={f.validUntil.errors}>
          <input {...getInputProps(f.validUntil, { type: "date" })} aria-describedby={describedBy(f.validUntil.id, { hint: true, errors: f.validUntil.errors })} />
        </Field>
        <Field id={f.evidenceNote.id} label={labels.evidenceNote} hint={t("trainings:form.evidenceHint")} errors={f.evidenceNote.errors}>
          <textarea {...getTextareaProps(f.evidenceNote)} rows={3} aria-describedby={describedBy(f.evidenceNote.id, { hint: true, errors: f.evidenceNote.errors })} dir="auto" />
        </Field>
        <div className="form-actions">
          <button type="submit" className="button" disabled={busy}>{editing ? t("trainings:form.saveCorrection") : t("trainings:form.record")}</button>
          {editing ? <Link to="/staff/trainings">{t("trainings:form.cancel")}</Link> : null}
        </div>
      </Form>
    </section>
  );
}
