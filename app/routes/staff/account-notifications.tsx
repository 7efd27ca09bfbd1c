import { getFormProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { data, Form, Link, redirect } from "react-router";
import { z } from "zod";
import { describedBy, FieldErrors } from "~/components/field";
import { FormErrorSummary } from "~/components/form-error-summary";
import { Notice } from "~/components/notice";
import { PageHeader } from "~/components/page-header";
import { NotificationChoiceList } from "~/components/staff/notification-choices";
import { STAFF_NOTIFICATION_KINDS } from "~/domain/staff-notification-kinds";
import { notificationChoices, saveNotificationChoices } from "~/domain/staff-notifications.server";
import { servicesContext } from "~/context";
import { requireStaff } from "~/middleware/staff.server";
import { msg } from "~/utils/forms";
import { readForm } from "~/utils/forms.server";
import { useTranslation } from "~/utils/i18n";
import type { Route } from "./+types/account-notifications";

/** The kinds ticked (none ticked: the field is absent). Kinds outside the person's role are ignored by the domain. */
const ChoicesSchema = z.object({
  intent: z.literal("save", { error: msg("invalid") }),
  kind: z.array(z.enum(STAFF_NOTIFICATION_KINDS, { error: msg("invalid") }), { error: msg("invalid") }).max(STAFF_NOTIFICATION_KINDS.length, msg("invalid")).optional(),
});

export async function loader({ request, context }: Route.LoaderArgs) {
  const staff = requireStaff(context, request);
  const { db } = context.get(servicesContext);
  const choices = await notificationChoices(db, staff);
  return {
    email: staff.email,
    choices: choices.map((c) => ({ kind: c.kind, enabled: c.enabled })),
    usesDefaults: choices.every((c) => c.isDefault),
    saved: new URL(request.url).searchParams.get("done") === "saved",
  };
}

export async function action({ request, context }: Route.ActionArgs) {
  const staff = requireStaff(context, request);
  const { db } = context.get(servicesContext);
  const submission = parseWithZod(await readForm(request), { schema: ChoicesSchema });
  if (submission.status !== "success") return data({ result: submission.reply() }, { status: 400 });
  await saveNotificationChoices(db, staff, submission.value.kind ?? []);
  return redirect("/staff/account/notifications?done=saved", 303);
}

export default function AccountNotifications({ loaderData, actionData }: Route.ComponentProps) {
  const { t } = useTranslation();
  const [form, fields] = useForm({ lastResult: actionData?.result, onValidate: ({ formData }) => parseWithZod(formData, { schema: ChoicesSchema }) });
  const f = fields as unknown as Record<"kind", typeof fields.intent>;
  // After a refused post, the boxes show what was sent; otherwise what is stored.
  const sent = actionData?.result ? new Set(([] as unknown[]).concat(f.kind.initialValue ?? []).map(String)) : null;
  const formErrors = form.errors ?? [];
  return (
    <div className="stack-lg">
      <PageHeader title={t("notifications:title")} lead={t("notifications:lead", { email: loaderData.email })}>
        <p>
          <Link to="/staff/account">{t("notifications:back")}</Link>
        </p>
      </PageHeader>
      {loaderData.saved ? <Notice tone="success" title={t("notifications:saved")} /> : null}
      <FormErrorSummary form={form} labels={{ kind: t("notifications:legend") }} />
      {formErrors.length ? (
        <Notice tone="error" title={t("errors.formTitle")}>
          <FieldErrors id={form.errorId} errors={formErrors} t={t} />
        </Notice>
      ) : null}
      <section className="card stack" aria-labelledby="notification-choices-title">
        <h2 id="notification-choices-title">{t("notifications:choicesTitle")}</h2>
        {loaderData.usesDefaults ? <p className="muted">{t("notifications:defaults")}</p> : null}
        <Form method="post" {...getFormProps(form)} className="stack">
          <input type="hidden" name="intent" value="save" />
          <fieldset className={`stack${f.kind.errors ? " field--invalid" : ""}`} aria-describedby={describedBy(f.kind.id, { errors: f.kind.errors })}>
            <legend>{t("notifications:legend")}</legend>
            <NotificationChoiceList
              choices={loaderData.choices.map((c) => ({ ...c, checked: sent ? sent.has(c.kind) : c.enabled }))}
              name={f.kind.name}
              firstId={f.kind.id}
              formKey={form.key}
            />
            <FieldErrors id={`${f.kind.id}-error`} errors={f.kind.errors} t={t} />
          </fieldset>
          <div className="form-actions">
            <button type="submit" className="button">{t("notifications:save")}</button>
          </div>
        </Form>
      </section>
    </div>
  );
}
