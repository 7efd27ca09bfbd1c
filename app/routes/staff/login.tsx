import { getFormProps, getInputProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { useTranslation } from "~/utils/i18n";
import { data, Form, redirect, redirectDocument, useNavigation } from "react-router";
import { z } from "zod";
import { Field } from "~/components/field";
import { FormErrorSummary } from "~/components/form-error-summary";
import { Notice } from "~/components/notice";
import { useDocumentLanguage } from "~/components/document-language";
import { PageTitle } from "~/components/page-title";
import { clientIpContext, servicesContext, staffContext } from "~/context";
import { checkPassword, completeTotpLogin, endStaffSession, startStaffSession } from "~/domain/staff.server";
import { staffMiddleware } from "~/middleware/staff.server";
import { staffSessionCookie } from "~/utils/cookies.server";
import { hasControlCharacter } from "~/utils/control-characters";
import { msg } from "~/utils/forms";
import { readForm } from "~/utils/forms.server";
import type { Route } from "./+types/login";

export const middleware: Route.MiddlewareFunction[] = [staffMiddleware];

const LoginSchema = z.discriminatedUnion("step", [
  z.object({
    step: z.literal("password"),
    email: z.email(msg("email")).max(254, msg("tooLong", { max: 254 })),
    password: z.string({ error: msg("required") }).min(1, msg("required")).max(256, msg("tooLong", { max: 256 })),
  }),
  z.object({
    step: z.literal("totp"),
    code: z.string({ error: msg("required") }).trim().regex(/^\d{6}$/, msg("totpFormat")),
  }),
]);

/**
 * Where to go after sign-in: the `next` query value when it is a console path of this origin
 * (no open redirect), else the start page. Control characters and backslashes are refused rather than
 * cleaned (a browser would strip or reinterpret them), and the result is re-serialised by the URL
 * parser, so it is always a valid, ASCII `Location` header value. Never throws.
 */
function safeNext(url: URL): string {
  const fallback = "/staff";
  const next = url.searchParams.get("next") ?? "";
  if (!/^\/staff(?:[/?#]|$)/.test(next) || hasControlCharacter(next) || next.includes("\\")) return fallback;
  const base = "http://candor.invalid";
  const parsed = URL.parse(next, base);
  if (!parsed || parsed.origin !== base || !/^\/staff(?:\/|$)/.test(parsed.pathname)) return fallback;
  return parsed.pathname + parsed.search + parsed.hash;
}

export async function loader({ request, context }: Route.LoaderArgs) {
  if (context.get(staffContext)) throw redirect(safeNext(new URL(request.url)));
  const token = await staffSessionCookie.parse(request.headers.get("Cookie"));
  const url = new URL(request.url);
  return { step: url.searchParams.get("step") === "totp" && typeof token === "string" ? ("totp" as const) : ("password" as const), signedOut: url.searchParams.has("signedOut") };
}

export async function action({ request, context }: Route.ActionArgs) {
  const { db } = context.get(servicesContext);
  // Decided before anything is written: a sign-in never ends in a redirect that cannot be sent.
  const next = safeNext(new URL(request.url));
  const submission = parseWithZod(await readForm(request), { schema: LoginSchema });
  if (submission.status !== "success") return data({ result: submission.reply({ hideFields: ["password"] }) }, { status: 400 });
  const previous = await staffSessionCookie.parse(request.headers.get("Cookie"));

  if (submission.value.step === "password") {
    const result = await checkPassword(db, context.get(servicesContext).rateLimits, submission.value.email, submission.value.password, context.get(clientIpContext));
    if (!result.ok) {
      const error = result.reason === "throttled" ? msg("loginThrottled", { count: Math.ceil((result.retryAfterSeconds ?? 60) / 60) }) : msg("loginInvalid");
      return data({ result: submission.reply({ formErrors: [error], hideFields: ["password"] }) }, { status: result.reason === "throttled" ? 429 : 401 });
    }
    // Rotation: whatever session this browser had ends; a new one starts.
    if (typeof previous === "string") await endStaffSession(db, previous);
    const token = await startStaffSession(db, result.user, !result.needsTotp);
    const headers = { "Set-Cookie": await staffSessionCookie.serialize(token) };
    if (result.needsTotp) return redirect(`/staff/login?step=totp&next=${encodeURIComponent(next)}`, { status: 303, headers });
    // A whole new document: the console speaks the account's language from its first page
    // (menus, dates, names), not the sign-in page's (the browser's).
    return redirectDocument(next, { status: 303, headers });
  }

  const result = typeof previous === "string" ? await completeTotpLogin(db, context.get(servicesContext).rateLimits, previous, submission.value.code) : null;
  if (!result?.ok) {
    const throttled = result?.reason === "throttled";
    return data({ result: submission.reply({ formErrors: [msg(throttled ? "loginThrottled" : "totpInvalid", throttled ? { count: 15 } : undefined)] }) }, { status: throttled ? 429 : 401 });
  }
  return redirectDocument(next, { status: 303, headers: { "Set-Cookie": await staffSessionCookie.serialize(result.token) } });
}

export default function StaffLogin({ loaderData, actionData }: Route.ComponentProps) {
  const { t } = useTranslation();
  useDocumentLanguage();
  const navigation = useNavigation();
  const [form, fields] = useForm({
    lastResult: actionData?.result,
    onValidate: ({ formData }) => parseWithZod(formData, { schema: LoginSchema }),
    shouldValidate: "onSubmit",
  });
  const f = fields as unknown as Record<"email" | "password" | "code", typeof fields.step>;
  return (
    <main id="main" className="page page--narrow">
      <PageTitle>{t("staff:login.title")}</PageTitle>
      <section className="card stack" aria-labelledby="login-title">
        <h1 id="login-title">{t("staff:login.title")}</h1>
        {loaderData.signedOut ? <Notice tone="success" title={t("staff:login.signedOut")} /> : null}
        <FormErrorSummary form={form} labels={{ email: t("staff:login.email"), password: t("staff:login.password"), code: t("staff:login.code") }} />
        <Form method="post" {...getFormProps(form)} className="stack">
          <input type="hidden" name="step" value={loaderData.step} />
          {loaderData.step === "password" ? (
            <>
              <Field id={f.email.id} label={t("staff:login.email")} errors={f.email.errors}>
                <input {...getInputProps(f.email, { type: "email" })} autoComplete="username" required />
              </Field>
              <Field id={f.password.id} label={t("staff:login.password")} errors={f.password.errors}>
                <input {...getInputProps(f.password, { type: "password" })} autoComplete="current-password" required />
              </Field>
            </>
          ) : (
            <Field id={f.code.id} label={t("staff:login.code")} hint={t("staff:login.codeHint")} errors={f.code.errors}>
              <input {...getInputProps(f.code, { type: "text", ariaDescribedBy: `${f.code.id}-hint` })} inputMode="numeric" autoComplete="one-time-code" maxLength={6} required />
            </Field>
          )}
          <div className="form-actions">
            <button type="submit" className="button" disabled={navigation.state === "submitting"}>
              {t(loaderData.step === "password" ? "staff:login.submit" : "staff:login.verify")}
            </button>
          </div>
        </Form>
      </section>
    </main>
  );
}
