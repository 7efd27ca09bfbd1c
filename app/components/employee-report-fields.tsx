import type { FieldMetadata } from "@conform-to/react";
import { getTextareaProps } from "@conform-to/react";
import { useState } from "react";
import { CharacterCount } from "~/components/character-count";
import { describedBy, Field, FieldErrors } from "~/components/field";
import { CONCERN_KINDS, DESCRIPTION_MAX, DESCRIPTION_MIN } from "~/domain/vocabulary";
import { useTranslation } from "~/utils/i18n";

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the two forms' schemas differ; only the field metadata is read
type TextField = FieldMetadata<unknown, any, string[]>;

/**
 * The fields of an employee report (SPEC §12), shared by the console's and the public form: the AI
 * system, the kind (worded for employees) and what happened. What was typed comes back on errors.
 */
export function EmployeeReportFields({
  fields,
  systems,
}: {
  fields: { system: TextField; kind: TextField; description: TextField };
  systems: { slug: string; name: string }[];
}) {
  const { t } = useTranslation();
  const initialDescription = fields.description.initialValue;
  const [description, setDescription] = useState(typeof initialDescription === "string" ? initialDescription : "");
  return (
    <>
      <Field id={fields.system.id} label={t("employeeReport.system")} errors={fields.system.errors}>
        <select
          name={fields.system.name}
          id={fields.system.id}
          defaultValue={typeof fields.system.initialValue === "string" ? fields.system.initialValue : ""}
          aria-describedby={describedBy(fields.system.id, { errors: fields.system.errors })}
          aria-invalid={fields.system.errors ? true : undefined}
        >
          <option value="">{t("employeeReport.noSystem")}</option>
          {systems.map((s) => (
            <option key={s.slug} value={s.slug}>{s.name}</option>
          ))}
        </select>
      </Field>

      <fieldset className={`stack${fields.kind.errors ? " field--invalid" : ""}`} aria-describedby={describedBy(fields.kind.id, { errors: fields.kind.errors })}>
        <legend>{t("employeeReport.kind")}</legend>
        <div className="radio-list">
          {CONCERN_KINDS.map((kind, i) => (
            <label key={kind} className="radio">
              <input type="radio" id={i === 0 ? fields.kind.id : undefined} name={fields.kind.name} value={kind} defaultChecked={fields.kind.initialValue === kind} />
              <span className="radio__label">{t(`employeeReport.kinds.${kind}`)}</span>
            </label>
          ))}
        </div>
        <FieldErrors id={`${fields.kind.id}-error`} errors={fields.kind.errors} t={t} />
      </fieldset>

      <Field id={fields.description.id} label={t("employeeReport.description")} hint={t("employeeReport.descriptionHint", { min: DESCRIPTION_MIN, max: DESCRIPTION_MAX })} errors={fields.description.errors}>
        <textarea
          {...getTextareaProps(fields.description, { ariaDescribedBy: `${fields.description.id}-hint ${fields.description.id}-count` })}
          rows={8}
          onChange={(e) => setDescription(e.currentTarget.value)}
        />
        <CharacterCount id={`${fields.description.id}-count`} value={description} max={DESCRIPTION_MAX} label={(count, max) => t("concernForm.count", { count, max })} />
      </Field>
    </>
  );
}
