import { useTranslation } from "~/utils/i18n";
import { translateError } from "~/utils/form-messages";
import { Notice } from "./notice";

export interface SummaryForm {
  id: string;
  errors?: string[];
  errorId: string;
  allErrors: Record<string, string[]>;
}

/**
 * The one error summary above a form (GOV.UK pattern): the form-level errors, then every invalid
 * field with its label and message, each a link to the control (`#<form id>-<field name>`, the
 * id Conform gives it). Shown the same for server and client validation (Conform moves focus to
 * the first invalid field on a refused submit). What was typed is kept.
 *
 * `labels` maps field names to their visible labels, in the form's order (a nested name such as
 * `texts.name` may use the label of its last part); a field without one is listed by its message.
 */
export function FormErrorSummary({
  form,
  labels = {},
  idFor,
  lead,
}: {
  form: SummaryForm;
  /** What to do, shown above the list (default: "Some answers need your attention…"). */
  lead?: string;
  labels?: Record<string, string>;
  /** The control's id for a field name, when it is not Conform's `<form id>-<name>`. */
  idFor?: (name: string) => string;
}) {
  const { t } = useTranslation();
  const fieldNames = Object.keys(form.allErrors).filter((name) => name !== "" && form.allErrors[name]?.length);
  const order = Object.keys(labels);
  fieldNames.sort((a, b) => rank(order, a) - rank(order, b));
  const formErrors = form.errors ?? [];
  const count = formErrors.length + fieldNames.length;
  if (count === 0) return null;
  return (
    <div className="error-summary">
      <Notice tone="error">
        <p className="notice__title">{t("errors.formTitle")}</p>
        {fieldNames.length ? <p>{lead ?? t("errors.formBody")}</p> : null}
        <ul className="error-summary__list" id={form.errorId}>
          {formErrors.map((e) => (
            <li key={e}>{translateError(t, e)}</li>
          ))}
          {fieldNames.map((name) => (
            <li key={name}>
              <a href={`#${idFor ? idFor(name) : `${form.id}-${name}`}`}>
                {labelFor(labels, name) ? `${labelFor(labels, name)}: ` : ""}
                {(form.allErrors[name] ?? []).map((e) => translateError(t, e)).join(" ")}
              </a>
            </li>
          ))}
        </ul>
      </Notice>
    </div>
  );
}

function rank(order: string[], name: string): number {
  const exact = order.indexOf(name);
  if (exact >= 0) return exact;
  const prefix = order.findIndex((o) => name.startsWith(`${o}.`) || name.startsWith(`${o}[`));
  return prefix >= 0 ? prefix : order.length;
}

function labelFor(labels: Record<string, string>, name: string): string | undefined {
  return labels[name] ?? labels[name.split(".").pop() ?? name];
}
