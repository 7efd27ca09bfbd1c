import { getFormProps, getInputProps, getSelectProps, useForm, type SubmissionResult } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { useTranslation } from "~/utils/i18n";
import { Form, useNavigation } from "react-router";
import { z } from "zod";
import { describedBy, Field } from "~/components/field";
import { FormErrorSummary } from "~/components/form-error-summary";
import { Time } from "~/components/time";
import { isValidThreshold, METRIC_NAMES, MONITORING_METRICS, type MetricUnit } from "~/domain/monitoring-metrics";
import { msg } from "~/utils/forms";

/** Setting a threshold: one metric, for one AI system or (0) for all, a value in the metric's unit. */
export const ThresholdSchema = z
  .object({
    intent: z.literal("threshold"),
    systemId: z.number({ error: msg("monitoring:errors.systemId") }).int(msg("monitoring:errors.systemId")).min(0, msg("monitoring:errors.systemId")).max(Number.MAX_SAFE_INTEGER, msg("monitoring:errors.systemId")),
    metric: z.enum(METRIC_NAMES, { error: msg("monitoring:errors.metric") }),
    value: z.number({ error: msg("monitoring:errors.number") }).max(1_000_000, msg("monitoring:errors.number")),
  })
  .superRefine((v, ctx) => {
    if (!isValidThreshold(v.metric, v.value)) ctx.addIssue({ code: "custom", path: ["value"], message: msg(`monitoring:errors.value.${MONITORING_METRICS[v.metric].unit}`) });
  });

export interface ThresholdRow {
  id: number;
  /** null: every system without its own threshold. */
  systemName: string | null;
  metric: string;
  valueText: string;
  updated: { iso: string; text: string };
}

/** The thresholds in force and, for admins, the form that sets one and the buttons that remove one. */
export function MonitoringThresholds({
  thresholds,
  systems,
  metrics,
  canManage,
  lastResult,
}: {
  thresholds: ThresholdRow[];
  systems: { id: number; name: string }[];
  metrics: { metric: string; unit: MetricUnit; alertWhen: string }[];
  canManage: boolean;
  lastResult?: SubmissionResult<string[]>;
}) {
  const { t } = useTranslation();
  const busy = useNavigation().state === "submitting";
  const [form, fields] = useForm({
    id: "monitoring-threshold",
    lastResult,
    defaultValue: { intent: "threshold", systemId: "0" },
    shouldValidate: "onSubmit",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: ThresholdSchema }),
  });
  const metricLabel = (metric: string) => t(`monitoring:metrics.${metric}`, { defaultValue: metric });
  const rule = (metric: string, value: string) => t(`monitoring:thresholds.rule.${metric}`, { value, defaultValue: value });
  return (
    <section className="card stack" aria-labelledby="monitoring-thresholds-title">
      <h2 id="monitoring-thresholds-title">{t("monitoring:thresholds.title")}</h2>
      <p className="muted">{t("monitoring:thresholds.lead")}</p>
      {thresholds.length === 0 ? <p className="muted">{t("monitoring:thresholds.none")}</p> : null}
      <ul className="plain-list stack">
        {thresholds.map((th) => (
          <li key={th.id} className="toolbar">
            <span>
              <strong>{th.systemName ?? t("monitoring:thresholds.allSystems")}</strong>
              {t("monitoring:separator")}
              {rule(th.metric, th.valueText)}
              {t("monitoring:separator")}
              <span className="muted">{t("monitoring:thresholds.updated")} <Time value={th.updated} /></span>
            </span>
            {canManage ? (
              <Form method="post">
                <input type="hidden" name="intent" value="remove-threshold" />
                <input type="hidden" name="thresholdId" value={th.id} />
                <button type="submit" className="button button--secondary" disabled={busy}>
                  {t("monitoring:thresholds.remove")}
                  <span className="visually-hidden">{t("monitoring:thresholds.removeWhich", { system: th.systemName ?? t("monitoring:thresholds.allSystems"), metric: metricLabel(th.metric) })}</span>
                </button>
              </Form>
            ) : null}
          </li>
        ))}
      </ul>
      {canManage ? (
        <>
          <h3 id="monitoring-threshold-form-title">{t("monitoring:thresholds.formTitle")}</h3>
          <FormErrorSummary form={form} labels={{ systemId: t("monitoring:thresholds.system"), metric: t("monitoring:thresholds.metric"), value: t("monitoring:thresholds.value") }} />
          <Form method="post" {...getFormProps(form)} className="stack" aria-labelledby="monitoring-threshold-form-title">
            <input type="hidden" name="intent" value="threshold" />
            <div className="toolbar">
              <Field id={fields.systemId.id} label={t("monitoring:thresholds.system")} errors={fields.systemId.errors}>
                <select {...getSelectProps(fields.systemId)}>
                  <option value="0">{t("monitoring:thresholds.allSystems")}</option>
                  {systems.map((s) => (
                    <option key={s.id} value={String(s.id)}>{s.name}</option>
                  ))}
                </select>
              </Field>
              <Field id={fields.metric.id} label={t("monitoring:thresholds.metric")} errors={fields.metric.errors}>
                <select {...getSelectProps(fields.metric)}>
                  <option value="">{t("monitoring:thresholds.chooseMetric")}</option>
                  {metrics.map((m) => (
                    <option key={m.metric} value={m.metric}>{metricLabel(m.metric)}</option>
                  ))}
                </select>
              </Field>
              <Field id={fields.value.id} label={t("monitoring:thresholds.value")} hint={t("monitoring:thresholds.valueHint")} errors={fields.value.errors}>
                <input
                  {...getInputProps(fields.value, { type: "number" })}
                  step="0.01"
                  min="0"
                  aria-describedby={describedBy(fields.value.id, { hint: true, errors: fields.value.errors })}
                />
              </Field>
            </div>
            <div className="form-actions">
              <button type="submit" className="button" disabled={busy}>{t("monitoring:thresholds.save")}</button>
            </div>
          </Form>
        </>
      ) : (
        <p className="muted">{t("monitoring:thresholds.adminsOnly")}</p>
      )}
    </section>
  );
}
