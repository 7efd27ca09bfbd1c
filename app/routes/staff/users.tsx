import { getFormProps, getInputProps, useForm, type SubmissionResult } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { useTranslation } from "~/utils/i18n";
import { data, Form, redirect, useNavigation } from "react-router";
import { z } from "zod";
import { describedBy, Field, FieldErrors } from "~/components/field";
import { FormErrorSummary } from "~/components/form-error-summary";
import { Notice } from "~/components/notice";
import { PageHeader } from "~/components/page-header";
import { AdminCreatedPassword } from "~/components/staff/admin-created-password";
import { AdminStaffTable } from "~/components/staff/admin-staff-table";
import { STAFF_ROLES } from "~/domain/permissions";
import {
  AdminRuleError,
  changeStaffRole,
  createStaffAccount,
  disableStaff,
  enableStaff,
  listStaffOverview,
  StaffInputError,
  type AdminActor,
} from "~/domain/staff-admin.server";
import { servicesContext } from "~/context";
import { getLang } from "~/middleware/i18n.server";
import { requireStaff } from "~/middleware/staff.server";
import { onceAsync } from "~/domain/submissions.server";
import { dateFor } from "~/utils/format.server";
import { msg, text } from "~/utils/forms";
import { readForm } from "~/utils/forms.server";
import type { Route } from "./+types/users";
import { STAFF_NAME_MAX } from "~/domain/vocabulary";


const staffId = z.number({ error: msg("invalid") }).int(msg("invalid")).positive(msg("invalid")).max(Number.MAX_SAFE_INTEGER, msg("invalid"));
const role = z.enum(STAFF_ROLES, { error: msg("chooseOne") });

const UsersSchema = z.discriminatedUnion("intent", [
  z.object({
    intent: z.literal("create"),
    name: text({ max: STAFF_NAME_MAX }),
    email: z.email(msg("email")).max(254, msg("tooLong", { max: 254 })),
    role,
  }),
  z.object({ intent: z.literal("role"), staffId, role }),
  z.object({ intent: z.literal("disable"), staffId }),
  z.object({ intent: z.literal("enable"), staffId }),
]);

const DONE = ["role", "disabled", "enabled", "unchanged"] as const;

type ActionResult = {
  intent: string;
  result: SubmissionResult<string[]>;
  created: { name: string; email: string; password: string } | null;
};

export async function loader({ request, context }: Route.LoaderArgs) {
  const admin = requireStaff(context, request, "admin.manage");
  const { db } = context.get(servicesContext);
  const lang = getLang(context);
  const done = new URL(request.url).searchParams.get("done");
  return {
    currentId: admin.id,
    done: (DONE as readonly (string | null)[]).includes(done) ? (done as (typeof DONE)[number]) : null,
    rows: (await listStaffOverview(db)).map((u) => ({
      id: u.id,
      name: u.name,
      email: u.email,
      role: u.role,
      totpEnabled: u.totpEnabled,
      lastLogin: u.lastLoginAt ? dateFor(u.lastLoginAt, lang) : null,
      disabled: u.disabledAt ? dateFor(u.disabledAt, lang) : null,
    })),
  };
}

export async function action({ request, context }: Route.ActionArgs) {
  const admin = requireStaff(context, request, "admin.manage");
  const { db } = context.get(servicesContext);
  const submission = parseWithZod(await readForm(request), { schema: UsersSchema });
  const intent = String((submission.payload as Record<string, unknown>).intent ?? "");
  const fail = (result: SubmissionResult<string[]>, status: number) => data<ActionResult>({ intent, result, created: null }, { status });
  if (submission.status !== "success") return fail(submission.reply(), 400);

  const value = submission.value;
  const actor: AdminActor = { type: "staff", id: admin.id };
  try {
    switch (value.intent) {
      case "create": {
        const account = { name: value.name, email: value.email, role: value.role, locale: getLang(context) };
        // The same account sent twice (double click, resend) is created once; both answers show its password.
        const created = await onceAsync(db, { actor: `staff:${admin.id}`, action: "staff.create", content: account }, async () => {
          const { user, password } = await createStaffAccount(db, actor, account);
          return { name: user.name, email: user.email, password };
        });
        return data<ActionResult>({ intent, result: submission.reply({ resetForm: true }), created });
      }
      case "role":
        return redirect(`/staff/users?done=${(await changeStaffRole(db, actor, value.staffId, value.role)) ? "role" : "unchanged"}`, 303);
      case "disable":
        return redirect(`/staff/users?done=${(await disableStaff(db, actor, value.staffId)) ? "disabled" : "unchanged"}`, 303);
      case "enable":
        return redirect(`/staff/users?done=${(await enableStaff(db, actor, value.staffId)) ? "enabled" : "unchanged"}`, 303);
    }
  } catch (error) {
    if (error instanceof AdminRuleError) {
      return fail(submission.reply({ formErrors: [msg(`admin:errors.${error.code}`)] }), error.code === "not_found" ? 404 : 409);
    }
    if (error instanceof StaffInputError) {
      const field = error.message === "email_taken" || error.message === "email" ? "email" : error.message === "name" ? "name" : "role";
      const message = error.message === "email_taken" ? msg("admin:errors.email_taken") : error.message === "name" ? msg("admin:errors.name", { max: STAFF_NAME_MAX }) : error.message === "email" ? msg("email") : msg("chooseOne");
      return fail(submission.reply({ fieldErrors: { [field]: [message] } }), 400);
    }
    throw error;
  }
}

export default function StaffUsers({ loaderData, actionData }: Route.ComponentProps) {
  const { t } = useTranslation();
  const navigation = useNavigation();
  const busy = navigation.state === "submitting";
  const createResult = actionData?.intent === "create" ? actionData.result : undefined;
  const rowErrors = actionData && actionData.intent !== "create" ? Object.values(actionData.result.error ?? {}).flatMap((e) => e ?? []) : [];
  const [form, fields] = useForm({
    id: "create-staff",
    lastResult: createResult,
    defaultValue: { intent: "create", role: "agent" },
    shouldValidate: "onSubmit",
    shouldRevalidate: "onInput",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: UsersSchema }),
  });
  const f = fields as unknown as Record<"name" | "email" | "role", typeof fields.intent>;
  const created = actionData?.created;
  return (
    <div className="stack-lg">
      <PageHeader title={t("admin:users.title")} lead={t("admin:users.lead")} />
      {created ? <AdminCreatedPassword name={created.name} email={created.email} password={created.password} /> : null}
      {loaderData.done && !actionData ? <Notice tone="success" title={t(`admin:users.done.${loaderData.done}`)} /> : null}
      {rowErrors.length ? (
        <Notice tone="error" title={t("errors.formTitle")}>
          <FieldErrors id="staff-row-error" errors={rowErrors} t={t} />
        </Notice>
      ) : null}

      <section className="stack" aria-labelledby="staff-list-title">
        <h2 id="staff-list-title">{t("admin:users.listTitle")}</h2>
        <AdminStaffTable rows={loaderData.rows} currentId={loaderData.currentId} busy={busy} />
      </section>

      <section className="card stack" aria-labelledby="create-title">
        <h2 id="create-title">{t("admin:users.createTitle")}</h2>
        <p>{t("admin:users.createLead")}</p>
        <FormErrorSummary form={form} labels={{ name: t("admin:users.name"), email: t("admin:users.email"), role: t("admin:users.role") }} />
        <Form method="post" {...getFormProps(form)} className="stack">
          <input type="hidden" name="intent" value="create" />
          <Field id={f.name.id} label={t("admin:users.name")} errors={f.name.errors}>
            <input {...getInputProps(f.name, { type: "text" })} autoComplete="off" />
          </Field>
          <Field id={f.email.id} label={t("admin:users.email")} errors={f.email.errors}>
            <input {...getInputProps(f.email, { type: "email" })} maxLength={254} autoComplete="off" spellCheck={false} />
          </Field>
          <fieldset className={`stack${f.role.errors ? " field--invalid" : ""}`} aria-describedby={describedBy(f.role.id, { errors: f.role.errors })}>
            <legend>{t("admin:users.role")}</legend>
            <div className="radio-list">
              {STAFF_ROLES.map((r, i) => (
                <label key={r} className="radio">
                  <input type="radio" id={i === 0 ? f.role.id : undefined} name={f.role.name} value={r} defaultChecked={(f.role.initialValue ?? "agent") === r} key={`${form.key}-${r}`} />
                  <span>
                    <span className="radio__label">{t(`staff:roles.${r}`)}</span>
                    <span className="radio__hint">{t(`admin:users.roleHints.${r}`)}</span>
                  </span>
                </label>
              ))}
            </div>
            <FieldErrors id={`${f.role.id}-error`} errors={f.role.errors} t={t} />
          </fieldset>
          <div className="form-actions">
            <button type="submit" className="button" disabled={busy}>{t("admin:users.create")}</button>
          </div>
        </Form>
      </section>
    </div>
  );
}
