import { getFormProps, getInputProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { eq } from "drizzle-orm";
import { useTranslation } from "~/utils/i18n";
import { data, Form, Link, redirect, redirectDocument } from "react-router";
import { z } from "zod";
import { staffUsers } from "../../../db/schema";
import { Field } from "~/components/field";
import { FormErrorSummary } from "~/components/form-error-summary";
import { Notice } from "~/components/notice";
import { PageHeader } from "~/components/page-header";
import { TrainingsStatus } from "~/components/staff/trainings-tables";
import { Time } from "~/components/time";
import { companyTimeZone } from "~/domain/settings.server";
import { trainingOverview } from "~/domain/trainings.server";
import { getLang } from "~/middleware/i18n.server";
import { dayStart } from "~/utils/calendar";
import { dateFor } from "~/utils/format.server";
import { appendAudit } from "~/domain/audit.server";
import { changePassword, enableTotp, endAllStaffSessions, pendingTotpSecret, totpFor, totpQrCode } from "~/domain/staff.server";
import { PASSWORD_MAX, PASSWORD_MIN } from "~/domain/vocabulary";
import { staffSessionCookie } from "~/utils/cookies.server";
import { servicesContext } from "~/context";
import { requireStaff } from "~/middleware/staff.server";
import { crossField, msg } from "~/utils/forms";
import { readForm } from "~/utils/forms.server";
import { LANGUAGE_NAMES, STAFF_LANGUAGES } from "~/utils/languages";
import type { Route } from "./+types/account";

const AccountSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("language"), locale: z.enum(STAFF_LANGUAGES, { error: msg("chooseOne") }) }),
  z.object({
    intent: z.literal("totp"),
    code: z.string({ error: msg("required") }).trim().regex(/^\d{6}$/, msg("totpFormat")),
  }),
  z.object({ intent: z.literal("signOutEverywhere") }),
  z
    .object({
      intent: z.literal("password"),
      current: z.string({ error: msg("required") }).min(1, msg("required")).max(PASSWORD_MAX),
      next: z
        .string({ error: msg("required") })
        .min(PASSWORD_MIN, msg("tooShort", { min: PASSWORD_MIN }))
        .max(PASSWORD_MAX, msg("tooLong", { max: PASSWORD_MAX })),
      confirm: z.string({ error: msg("required") }),
    })
    .refine((v) => v.next === v.confirm, { path: ["confirm"], message: msg("staff:account.passwordMismatch"), when: crossField }),
]);

export async function loader({ request, context }: Route.LoaderArgs) {
  const staff = requireStaff(context, request);
  const { db } = context.get(servicesContext);
  // Stored until confirmed: a reload or a wrong code shows the secret the app already has.
  const secret = staff.totpSecret ? null : await pendingTotpSecret(db, staff);
  const url = new URL(request.url);
  const lang = getLang(context);
  const zone = companyTimeZone();
  const day = (iso: string) => dateFor(dayStart(iso, zone), lang, "date");
  // The person's own AI-literacy standing (AI Act Art. 4): an agent sees it here, not on the trainings page.
  const standing = (await trainingOverview(db, Date.now())).people.find((p) => p.staffId === staff.id);
  return {
    email: staff.email,
    locale: staff.locale,
    training: {
      status: standing?.status ?? "none",
      trainings: (standing?.trainings ?? []).map((tr) => ({ id: tr.id, course: tr.course, completedOn: day(tr.completedOn), validUntil: tr.validUntil ? day(tr.validUntil) : null })),
    },
    totpEnabled: Boolean(staff.totpSecret),
    setup: secret ? { secret, uri: totpFor(staff, secret).toString(), qr: await totpQrCode(staff, secret) } : null,
    done: url.searchParams.get("done"),
  };
}

export async function action({ request, context }: Route.ActionArgs) {
  const staff = requireStaff(context, request);
  const { db } = context.get(servicesContext);
  const submission = parseWithZod(await readForm(request), { schema: AccountSchema });
  if (submission.status !== "success") return data({ result: submission.reply({ hideFields: ["current", "next", "confirm"] }) }, { status: 400 });
  const value = submission.value;
  if (value.intent === "language") {
    await db.transaction(async (tx) => {
      await tx.update(staffUsers).set({ locale: value.locale, updatedAt: Date.now() }).where(eq(staffUsers.id, staff.id));
      await appendAudit(tx, { actor: { type: "staff", id: staff.id }, action: "staff.language_changed", target: { type: "staff", id: staff.id }, details: { locale: value.locale } });
    });
  }
  if (value.intent === "password") {
    const token = await staffSessionCookie.parse(request.headers.get("Cookie"));
    const changed = await changePassword(db, staff, value.current, value.next, typeof token === "string" ? token : null);
    if (!changed) {
      return data({ result: submission.reply({ fieldErrors: { current: [msg("staff:account.currentWrong")] }, hideFields: ["current", "next", "confirm"] }) }, { status: 400 });
    }
  }
  if (value.intent === "totp") {
    // The secret confirmed is the one stored for this account, never one a request brings.
    const secret = await pendingTotpSecret(db, staff);
    if (!secret || !(await enableTotp(db, staff, secret, value.code))) {
      return data({ result: submission.reply({ fieldErrors: { code: [msg("totpInvalid")] } }) }, { status: 400 });
    }
  }
  if (value.intent === "signOutEverywhere") {
    await db.transaction(async (tx) => {
      await endAllStaffSessions(tx, staff.id);
      await appendAudit(tx, { actor: { type: "staff", id: staff.id }, action: "staff.signed_out_everywhere", target: { type: "staff", id: staff.id } });
    });
    return redirectDocument("/staff/login?signedOut=1", 303);
  }
  // A new language: a whole new document, so every word of the page (the "Saved" notice too) is in it.
  if (value.intent === "language") return redirectDocument("/staff/account?done=language", 303);
  return redirect(`/staff/account?done=${value.intent}`, 303);
}

export default function Account({ loaderData, actionData }: Route.ComponentProps) {
  const { t } = useTranslation();
  const [form, fields] = useForm({ lastResult: actionData?.result, onValidate: ({ formData }) => parseWithZod(formData, { schema: AccountSchema }) });
  const f = fields as unknown as Record<"code" | "locale" | "current" | "next" | "confirm", typeof fields.intent>;
  return (
    <div className="stack-lg">
      <PageHeader title={t("staff:account.title")} lead={t("staff:account.lead", { email: loaderData.email })} />
      {loaderData.done ? <Notice tone="success" title={t("staff:account.saved")} /> : null}
      <FormErrorSummary
        form={form}
        labels={{
          locale: t("staff:account.language"),
          code: t("staff:login.code"),
          current: t("staff:account.currentPassword"),
          next: t("staff:account.newPassword"),
          confirm: t("staff:account.confirmPassword"),
        }}
        idFor={(name) => (["locale", "current", "next", "confirm"].includes(name) ? name : `${form.id}-${name}`)}
      />
      <section className="card stack" aria-labelledby="language-title">
        <h2 id="language-title">{t("staff:account.languageTitle")}</h2>
        <Form method="post" className="toolbar">
          <input type="hidden" name="intent" value="language" />
          <Field id="locale" label={t("staff:account.language")} errors={f.locale.errors}>
            <select id="locale" name="locale" defaultValue={loaderData.locale}>
              {STAFF_LANGUAGES.map((lang) => (
                <option key={lang} value={lang} lang={lang}>{LANGUAGE_NAMES[lang]}</option>
              ))}
            </select>
          </Field>
          <button type="submit" className="button">{t("staff:account.save")}</button>
        </Form>
      </section>
      <section className="card stack" aria-labelledby="training-title">
        <h2 id="training-title">{t("trainings:mine.title")}</h2>
        <p>{t("trainings:mine.status")} <TrainingsStatus status={loaderData.training.status} /></p>
        {loaderData.training.trainings.length === 0 ? (
          <p>{t("trainings:mine.none")}</p>
        ) : (
          <ul>
            {loaderData.training.trainings.map((tr) => (
              <li key={tr.id}>
                {tr.course} · <Time value={tr.completedOn} />
                {tr.validUntil ? <> · {t("trainings:mine.validUntil")} <Time value={tr.validUntil} /></> : null}
              </li>
            ))}
          </ul>
        )}
      </section>
      <section className="card stack" aria-labelledby="notifications-title">
        <h2 id="notifications-title">{t("staff:account.notificationsTitle")}</h2>
        <p>{t("staff:account.notificationsLead")}</p>
        <p><Link to="/staff/account/notifications">{t("staff:account.notificationsLink")}</Link></p>
      </section>
      <section className="card stack" aria-labelledby="totp-title">
        <h2 id="totp-title">{t("staff:account.totpTitle")}</h2>
        {loaderData.totpEnabled ? (
          <p>{t("staff:account.totpOn")}</p>
        ) : loaderData.setup ? (
          <Form method="post" {...getFormProps(form)} className="stack">
            <p>{t("staff:account.totpSetup")}</p>
            <img src={loaderData.setup.qr} alt={t("staff:account.totpQrAlt")} width={200} height={200} className="totp-qr" />
            <p>{t("staff:account.totpManual")}</p>
            <p className="tracking-url"><code id="totp-secret">{loaderData.setup.secret}</code></p>
            <p className="muted">{t("staff:account.totpStable")}</p>
            <input type="hidden" name="intent" value="totp" />
            <Field id={f.code.id} label={t("staff:login.code")} errors={f.code.errors}>
              <input {...getInputProps(f.code, { type: "text" })} inputMode="numeric" autoComplete="one-time-code" maxLength={6} />
            </Field>
            <button type="submit" className="button">{t("staff:account.totpEnable")}</button>
          </Form>
        ) : null}
      </section>
      <section className="card stack" aria-labelledby="password-title">
        <h2 id="password-title">{t("staff:account.passwordTitle")}</h2>
        <Form method="post" className="stack">
          <input type="hidden" name="intent" value="password" />
          <Field id="current" label={t("staff:account.currentPassword")} errors={f.current.errors}>
            <input id="current" name="current" type="password" autoComplete="current-password" maxLength={256} />
          </Field>
          <Field id="next" label={t("staff:account.newPassword")} hint={t("staff:account.newPasswordHint", { min: PASSWORD_MIN })} errors={f.next.errors}>
            <input id="next" name="next" type="password" autoComplete="new-password" maxLength={256} aria-describedby="next-hint" />
          </Field>
          <Field id="confirm" label={t("staff:account.confirmPassword")} errors={f.confirm.errors}>
            <input id="confirm" name="confirm" type="password" autoComplete="new-password" maxLength={256} />
          </Field>
          <button type="submit" className="button">{t("staff:account.changePassword")}</button>
        </Form>
      </section>
      <section className="card stack" aria-labelledby="sessions-title">
        <h2 id="sessions-title">{t("staff:account.sessionsTitle")}</h2>
        <Form method="post">
          <input type="hidden" name="intent" value="signOutEverywhere" />
          <button type="submit" className="button button--secondary">{t("staff:account.signOutEverywhere")}</button>
        </Form>
      </section>
    </div>
  );
}
