import { getFormProps, getInputProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { data, Form, redirect } from "react-router";
import { EmployeeReportFields } from "~/components/employee-report-fields";
import { Field } from "~/components/field";
import { FormErrorSummary } from "~/components/form-error-summary";
import { PageHeader } from "~/components/page-header";
import { useSubmission } from "~/components/use-submission";
import { clientIpContext, servicesContext } from "~/context";
import { listAiSystems } from "~/domain/ai-register.server";
import { fileEmployeeReport } from "~/domain/concerns/index.server";
import { once } from "~/domain/submissions.server";
import { getLang } from "~/middleware/i18n.server";
import { EMPLOYEE_REPORTER_NAME_MAX, PublicEmployeeReportSchema } from "~/utils/employee-report-form";
import { msg } from "~/utils/forms";
import { readForm } from "~/utils/forms.server";
import { useTranslation } from "~/utils/i18n";
import type { Route } from "./+types/report";

/**
 * The public employee form (SPEC §12): reached from a link the company shares internally, no
 * sign-in, an optional name. Same protection as the public concern form: the site-wide
 * same-origin check (CSRF), the honeypot, the concern-filing rate limit per address, and repeats
 * within the window filed once. The report is followed through a private tracking link.
 */
export async function loader({ context }: Route.LoaderArgs) {
  const { db } = context.get(servicesContext);
  const lang = getLang(context);
  return { systems: (await listAiSystems(db, lang)).map((s) => ({ slug: s.slug, name: s.texts.name })) };
}

export async function action({ request, context }: Route.ActionArgs) {
  const services = context.get(servicesContext);
  const lang = getLang(context);
  const ip = context.get(clientIpContext);
  const submission = parseWithZod(await readForm(request), { schema: PublicEmployeeReportSchema });
  const payload = submission.payload as Record<string, unknown>;
  const systemSlug = typeof payload.system === "string" ? payload.system.trim().slice(0, 100) : "";
  const system = systemSlug ? (await listAiSystems(services.db, lang)).find((s) => s.slug === systemSlug) : undefined;
  const lookupErrors: Record<string, string[]> = systemSlug && !system ? { system: [msg("unknownSystem")] } : {};
  if (submission.status !== "success" || Object.keys(lookupErrors).length > 0) {
    return data({ result: submission.reply({ fieldErrors: lookupErrors }) }, { status: 400 });
  }
  const wait = await services.rateLimits.consume("concernFile", ip);
  if (wait !== null) {
    return data({ result: submission.reply({ formErrors: [msg("tooMany", { count: Math.ceil(wait / 60) })] }) }, { status: 429 });
  }
  const input = submission.value;
  const report = { kind: input.kind, systemId: system?.id ?? null, description: input.description, lang, reporterName: input.name ?? null };
  const { trackingToken } = await once(services.db, { actor: `ip:${ip}`, action: "employee_report.file", content: report }, (tx) => fileEmployeeReport(tx, report));
  return redirect(`/${lang}/concerns/track/${trackingToken}?new=1`, 303);
}

export default function EmployeeReport({ loaderData, actionData }: Route.ComponentProps) {
  const { t } = useTranslation();
  const [form, fields] = useForm({
    id: "employee-report",
    lastResult: actionData?.result,
    shouldValidate: "onSubmit",
    shouldRevalidate: "onInput",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: PublicEmployeeReportSchema }),
  });
  const formProps = getFormProps(form);
  const submission = useSubmission(formProps.onSubmit);
  return (
    <div className="stack-lg">
      <PageHeader title={t("employeeReport.title")} lead={t("employeeReport.lead")}>
        <p>{t("employeeReport.privacy")}</p>
      </PageHeader>
      <FormErrorSummary
        form={form}
        labels={{
          name: t("employeeReport.name"),
          system: t("employeeReport.system"),
          kind: t("employeeReport.kind"),
          description: t("employeeReport.description"),
          website: t("concernForm.honeypot"),
        }}
        idFor={(name) => (name === "website" ? "report-website" : `${form.id}-${name}`)}
      />
      <Form method="post" {...formProps} onSubmit={submission.onSubmit} className="card stack">
        <Field id={fields.name.id} label={t("employeeReport.name")} hint={t("employeeReport.nameHint")} errors={fields.name.errors}>
          <input {...getInputProps(fields.name, { type: "text", ariaDescribedBy: `${fields.name.id}-hint` })} maxLength={EMPLOYEE_REPORTER_NAME_MAX} autoComplete="name" />
        </Field>
        <EmployeeReportFields fields={fields} systems={loaderData.systems} />
        <div className="honeypot" aria-hidden="true">
          <label htmlFor="report-website">{t("concernForm.honeypot")}</label>
          <input id="report-website" name="website" type="text" tabIndex={-1} autoComplete="off" />
        </div>
        <div className="form-actions">
          <button type="submit" className="button" disabled={submission.pending}>{t("employeeReport.submit")}</button>
        </div>
      </Form>
    </div>
  );
}
