import { getFormProps, getInputProps, useForm, type SubmissionResult } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { useTranslation } from "~/utils/i18n";
import { Form, Link } from "react-router";
import { z } from "zod";
import { Field } from "~/components/field";
import { msg } from "~/utils/forms";

/** A real calendar day "YYYY-MM-DD" between 2000 and 2100 ("2025-02-30" is not one). */
export function isCalendarDay(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const [y, m, d] = value.split("-").map(Number) as [number, number, number];
  if (y < 2000 || y > 2100) return false;
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

const day = z.string().trim().max(10, msg("reports:errors.date")).refine(isCalendarDay, msg("reports:errors.date")).optional();

/**
 * The reports' period (`?from=YYYY-MM-DD&to=YYYY-MM-DD`, both optional): one schema for the
 * page's GET form (client and server) and the CSV exports. A missing end is today, a missing start
 * twelve ISO weeks back; the length limit is checked by the domain once both are known.
 */
export const ReportRangeSchema = z
  .object({ from: day, to: day })
  .refine((v) => !v.from || !v.to || v.from <= v.to, { path: ["to"], message: msg("reports:errors.order") });

export function parseReportRange(params: URLSearchParams) {
  return parseWithZod(params, { schema: ReportRangeSchema });
}

/** The period filter: a plain GET form, so the period lives in the URL and works without JS. */
export function ReportsFilter({ lastResult, defaultValue }: { lastResult: SubmissionResult<string[]> | null; defaultValue: { from: string; to: string } }) {
  const { t } = useTranslation();
  const [form, fields] = useForm({
    id: "reports-period",
    lastResult,
    defaultValue,
    shouldValidate: "onSubmit",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: ReportRangeSchema }),
  });
  return (
    <Form method="get" {...getFormProps(form)} className="card toolbar reports-filter" aria-label={t("reports:filter.label")}>
      <Field id={fields.from.id} label={t("reports:filter.from")} errors={fields.from.errors}>
        <input {...getInputProps(fields.from, { type: "date" })} min="2000-01-01" max="2100-12-31" />
      </Field>
      <Field id={fields.to.id} label={t("reports:filter.to")} errors={fields.to.errors}>
        <input {...getInputProps(fields.to, { type: "date" })} min="2000-01-01" max="2100-12-31" />
      </Field>
      <div className="form-actions">
        <button type="submit" className="button">{t("reports:filter.submit")}</button>
        <Link to="/staff/reports">{t("reports:filter.reset")}</Link>
      </div>
    </Form>
  );
}
