import { getFormProps, getSelectProps, useForm, type SubmissionResult } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { useTranslation } from "~/utils/i18n";
import { Form, Link } from "react-router";
import { z } from "zod";
import { Field } from "~/components/field";
import { msg } from "~/utils/forms";

/** Weeks the page and the exports may span (the domain's REPORT_WEEKS; kept here for the client bundle). */
export const MONITORING_WEEK_CHOICES = ["4", "8", "12", "26", "52"] as const;
export const DEFAULT_MONITORING_WEEKS = 12;

/**
 * The monitoring filter (`?system=<id>&weeks=<n>`, both optional): one schema for the page's GET
 * form (client and server) and the CSV/JSON exports. No system: every registered AI system.
 */
export const MonitoringFilterSchema = z.object({
  system: z.coerce
    .number({ error: msg("monitoring:errors.system") })
    .int(msg("monitoring:errors.system"))
    .min(1, msg("monitoring:errors.system"))
    .max(Number.MAX_SAFE_INTEGER, msg("monitoring:errors.system"))
    .optional(),
  weeks: z.enum(MONITORING_WEEK_CHOICES, { error: msg("monitoring:errors.weeks") }).optional(),
});

export function parseMonitoringFilter(params: URLSearchParams) {
  return parseWithZod(params, { schema: MonitoringFilterSchema });
}

/** The system and weeks filter: a plain GET form, so the choice lives in the URL and works without JS. */
export function MonitoringFilter({
  lastResult,
  defaultValue,
  systems,
}: {
  lastResult: SubmissionResult<string[]> | null;
  defaultValue: { system: string; weeks: string };
  systems: { id: number; name: string }[];
}) {
  const { t } = useTranslation();
  const [form, fields] = useForm({
    id: "monitoring-filter",
    lastResult,
    defaultValue,
    shouldValidate: "onSubmit",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: MonitoringFilterSchema }),
  });
  return (
    <Form method="get" {...getFormProps(form)} className="card toolbar reports-filter" aria-label={t("monitoring:filter.label")}>
      <Field id={fields.system.id} label={t("monitoring:filter.system")} errors={fields.system.errors}>
        <select {...getSelectProps(fields.system)}>
          <option value="">{t("monitoring:filter.allSystems")}</option>
          {systems.map((s) => (
            <option key={s.id} value={String(s.id)}>{s.name}</option>
          ))}
        </select>
      </Field>
      <Field id={fields.weeks.id} label={t("monitoring:filter.weeks")} errors={fields.weeks.errors}>
        <select {...getSelectProps(fields.weeks)}>
          {MONITORING_WEEK_CHOICES.map((w) => (
            <option key={w} value={w}>{t("monitoring:filter.weeksOption", { count: Number(w) })}</option>
          ))}
        </select>
      </Field>
      <div className="form-actions">
        <button type="submit" className="button">{t("monitoring:filter.submit")}</button>
        <Link to="/staff/monitoring">{t("monitoring:filter.reset")}</Link>
      </div>
    </Form>
  );
}
