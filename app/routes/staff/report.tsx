import { getFormProps, getInputProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { data, Form, Link, redirect } from "react-router";
import { EmployeeReportFields } from "~/components/employee-report-fields";
import { Field } from "~/components/field";
import { FormErrorSummary } from "~/components/form-error-summary";
import { Notice } from "~/components/notice";
import { PageHeader } from "~/components/page-header";
import { useSubmission } from "~/components/use-submission";
import { servicesContext } from "~/context";
import { listAiSystems } from "~/domain/ai-register.server";
import { fileEmployeeReport } from "~/domain/concerns/index.server";
import { findInteractionByRef } from "~/domain/interactions.server";
import { once } from "~/domain/submissions.server";
import { getLang } from "~/middleware/i18n.server";
import { requireStaff } from "~/middleware/staff.server";
import { StaffEmployeeReportSchema } from "~/utils/employee-report-form";
import { msg } from "~/utils/forms";
import { readForm } from "~/utils/forms.server";
import { useTranslation } from "~/utils/i18n";
import { normaliseConcernRef } from "~/utils/tokens.server";
import type { Route } from "./+types/report";

/** "Report an AI concern" (SPEC §12): every staff role may file one; the staff account is the reporter. */
export async function loader({ request, context }: Route.LoaderArgs) {
  requireStaff(context, request, "concerns.work");
  const { db } = context.get(servicesContext);
  const lang = getLang(context);
  const filed = normaliseConcernRef(new URL(request.url).searchParams.get("filed") ?? "");
  return {
    systems: (await listAiSystems(db, lang)).map((s) => ({ slug: s.slug, name: s.texts.name })),
    filed,
  };
}

export async function action({ request, context }: Route.ActionArgs) {
  const staff = requireStaff(context, request, "concerns.work");
  const { db } = context.get(servicesContext);
  const lang = getLang(context);
  const submission = parseWithZod(await readForm(request), { schema: StaffEmployeeReportSchema });
  // The look-ups run even when the schema refused something, so all errors come in one round.
  const payload = submission.payload as Record<string, unknown>;
  const field = (name: string, max: number) => (typeof payload[name] === "string" ? payload[name].trim().slice(0, max) : "");
  const systemSlug = field("system", 100);
  const customerId = field("customer", 100);
  const interactionRef = field("interaction", 200);
  const system = systemSlug ? (await listAiSystems(db, lang)).find((s) => s.slug === systemSlug) : undefined;
  const interaction = customerId && interactionRef ? await findInteractionByRef(db, customerId, interactionRef) : undefined;
  const lookupErrors: Record<string, string[]> = {
    ...(systemSlug && !system ? { system: [msg("unknownSystem")] } : {}),
    ...(customerId && interactionRef && !interaction ? { interaction: [msg("common:employeeReport.errors.unknownInteraction")] } : {}),
  };
  if (submission.status !== "success" || Object.keys(lookupErrors).length > 0) {
    return data({ result: submission.reply({ fieldErrors: lookupErrors }) }, { status: 400 });
  }
  const input = submission.value;
  const report = { kind: input.kind, systemId: system?.id ?? null, description: input.description, interactionId: interaction?.id ?? null, lang, reporterStaffId: staff.id };
  // A double click or a resent form within the window leads to the report filed the first time.
  const { ref } = await once(db, { actor: `staff:${staff.id}`, action: "employee_report.file", content: report }, (tx) => fileEmployeeReport(tx, report));
  return redirect(`/staff/report?filed=${ref}`, 303);
}

export default function StaffReport({ loaderData, actionData }: Route.ComponentProps) {
  const { t } = useTranslation();
  const [form, fields] = useForm({
    id: "employee-report",
    lastResult: actionData?.result,
    shouldValidate: "onSubmit",
    shouldRevalidate: "onInput",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: StaffEmployeeReportSchema }),
  });
  const formProps = getFormProps(form);
  const submission = useSubmission(formProps.onSubmit);
  return (
    <div className="stack-lg">
      <PageHeader title={t("employeeReport.staffTitle")} lead={t("employeeReport.staffLead")} />
      {loaderData.filed ? (
        <Notice tone="success" title={t("employeeReport.staffFiled", { ref: loaderData.filed })}>
          <p>
            <Link to={`/staff/concerns/${loaderData.filed}`}>{t("employeeReport.staffOpen", { ref: loaderData.filed })}</Link>
          </p>
        </Notice>
      ) : null}
      <FormErrorSummary
        form={form}
        labels={{
          system: t("employeeReport.system"),
          kind: t("employeeReport.kind"),
          description: t("employeeReport.description"),
          customer: t("employeeReport.customer"),
          interaction: t("employeeReport.interaction"),
        }}
      />
      <Form method="post" {...formProps} onSubmit={submission.onSubmit} className="card stack">
        <p>{t("employeeReport.staffWho")}</p>
        <EmployeeReportFields fields={fields} systems={loaderData.systems} />
        <fieldset className="stack">
          <legend>{t("employeeReport.interactionTitle")}</legend>
          <p className="muted">{t("employeeReport.interactionHint")}</p>
          <div className="toolbar">
            <Field id={fields.customer.id} label={t("employeeReport.customer")} errors={fields.customer.errors}>
              <input {...getInputProps(fields.customer, { type: "text" })} maxLength={100} autoComplete="off" />
            </Field>
            <Field id={fields.interaction.id} label={t("employeeReport.interaction")} errors={fields.interaction.errors}>
              <input {...getInputProps(fields.interaction, { type: "text" })} maxLength={200} autoComplete="off" />
            </Field>
          </div>
        </fieldset>
        <div className="form-actions">
          <button type="submit" className="button" disabled={submission.pending}>{t("employeeReport.submit")}</button>
        </div>
      </Form>
    </div>
  );
}
