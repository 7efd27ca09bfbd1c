import { getFormProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { useTranslation } from "~/utils/i18n";
import { data, Form, redirect } from "react-router";
import { z } from "zod";
import { FieldErrors } from "~/components/field";
import { Notice } from "~/components/notice";
import { PageHeader } from "~/components/page-header";
import { OutboxEmail } from "~/components/staff/outbox-email";
import { Pagination } from "~/components/pagination";
import { OutboxTable } from "~/components/staff/outbox-table";
import { countOutbox, findOutboxEmail, listOutbox, MAX_ATTEMPTS, redactLinks, retryEmail, type OutboxStatus } from "~/domain/outbox.server";
import { servicesContext } from "~/context";
import { getLang } from "~/middleware/i18n.server";
import { requireStaff } from "~/middleware/staff.server";
import { env } from "~/utils/env.server";
import { dateFor, formatNumber } from "~/utils/format.server";
import { msg } from "~/utils/forms";
import { readForm } from "~/utils/forms.server";
import { isLang, LANGUAGE_NAMES } from "~/utils/languages";
import type { Route } from "./+types/outbox";
import { OUTBOX_STATUSES } from "~/domain/vocabulary";

const STATUSES = OUTBOX_STATUSES;

/** The list's URL state; anything unreadable falls back to the default view. */
const QuerySchema = z.object({
  status: z.enum(STATUSES).optional().catch(undefined),
  page: z.coerce.number().int().min(1).max(1_000_000).catch(1),
  email: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER).optional().catch(undefined),
  done: z.literal("retried").optional().catch(undefined),
});

const RetrySchema = z.object({
  intent: z.literal("retry", { error: msg("invalid") }),
  id: z.number({ error: msg("invalid") }).int(msg("invalid")).positive(msg("invalid")).max(Number.MAX_SAFE_INTEGER, msg("invalid")),
});

function listHref(status: OutboxStatus | undefined, page = 1, email?: number) {
  const params = new URLSearchParams();
  if (status) params.set("status", status);
  if (page > 1) params.set("page", String(page));
  if (email) params.set("email", String(email));
  const query = params.toString();
  return query ? `/staff/outbox?${query}` : "/staff/outbox";
}

function languageName(lang: string) {
  return isLang(lang) ? LANGUAGE_NAMES[lang] : lang;
}

export async function loader({ request, context }: Route.LoaderArgs) {
  requireStaff(context, request, "admin.manage");
  const { db } = context.get(servicesContext);
  const lang = getLang(context);
  const url = new URL(request.url);
  const query = QuerySchema.parse(Object.fromEntries(url.searchParams));
  const base = { smtpConfigured: Boolean(env().SMTP_URL), status: query.status ?? null, done: query.done ?? null };

  if (query.email) {
    const email = await findOutboxEmail(db, query.email);
    if (!email) throw data({ reason: "notFound" as const }, { status: 404 });
    return {
      ...base,
      backHref: listHref(query.status, query.page),
      email: {
        id: email.id,
        to: email.toAddress,
        subject: email.subject,
        template: email.template,
        language: languageName(email.lang),
        lang: isLang(email.lang) ? email.lang : "en",
        status: email.status,
        attempts: email.attempts,
        maxAttempts: MAX_ATTEMPTS,
        created: dateFor(email.createdAt, lang),
        nextAttempt: email.status === "pending" ? dateFor(email.nextAttemptAt, lang) : null,
        sentAt: email.sentAt ? dateFor(email.sentAt, lang) : null,
        lastError: email.lastError,
        bodyText: redactLinks(email.bodyText),
        canRetry: email.status !== "sent",
      },
      list: null,
    };
  }

  const counts = await countOutbox(db);
  const list = await listOutbox(db, { status: query.status, page: query.page });
  return {
    ...base,
    backHref: null,
    email: null,
    list: {
      page: list.page,
      pageCount: list.pageCount,
      counts: {
        all: formatNumber(counts.pending + counts.sent + counts.failed, lang),
        pending: formatNumber(counts.pending, lang),
        sent: formatNumber(counts.sent, lang),
        failed: formatNumber(counts.failed, lang),
      },
      rows: list.rows.map((row) => ({
        id: row.id,
        href: listHref(query.status, list.page, row.id),
        to: row.toAddress,
        subject: row.subject,
        template: row.template,
        language: languageName(row.lang),
        status: row.status,
        attempts: formatNumber(row.attempts, lang),
        created: dateFor(row.createdAt, lang),
        nextAttempt: row.status === "pending" ? dateFor(row.nextAttemptAt, lang) : null,
        lastError: row.lastError,
      })),
    },
  };
}

export async function action({ request, context }: Route.ActionArgs) {
  const staff = requireStaff(context, request, "admin.manage");
  const { db } = context.get(servicesContext);
  const submission = parseWithZod(await readForm(request), { schema: RetrySchema });
  if (submission.status !== "success") return data({ result: submission.reply() }, { status: 400 });
  const { id } = submission.value;
  const result = await retryEmail(db, { id, staffId: staff.id });
  if (result === "retried") return redirect(`/staff/outbox?email=${id}&done=retried`, 303);
  const problems = {
    notFound: { status: 404, message: msg("outbox:errors.notFound") },
    alreadySent: { status: 409, message: msg("outbox:errors.alreadySent") },
    sending: { status: 409, message: msg("outbox:errors.sending") },
  } as const;
  const problem = problems[result];
  return data({ result: submission.reply({ formErrors: [problem.message] }) }, { status: problem.status });
}

export default function Outbox({ loaderData, actionData }: Route.ComponentProps) {
  const { t } = useTranslation();
  const { email, list, status } = loaderData;
  const [form] = useForm({
    lastResult: actionData?.result,
    onValidate: ({ formData }) => parseWithZod(formData, { schema: RetrySchema }),
  });
  // The retry form has only hidden fields: every error (form or field) is shown at the top.
  const formErrors = Object.values(form.allErrors).flat();
  return (
    <div className="stack-lg">
      <PageHeader title={t("outbox:title")} lead={t("outbox:lead")} />
      {loaderData.smtpConfigured ? (
        <Notice tone="info" title={t("outbox:smtp.onTitle")}>
          <p>{t("outbox:smtp.onBody")}</p>
        </Notice>
      ) : (
        <Notice tone="warning" title={t("outbox:smtp.offTitle")}>
          <p>{t("outbox:smtp.offBody")}</p>
        </Notice>
      )}
      {loaderData.done ? <Notice tone="success" title={t(`outbox:done.${loaderData.done}`)} /> : null}
      {formErrors.length ? (
        <Notice tone="error" title={t("errors.formTitle")}>
          <FieldErrors id={form.errorId} errors={formErrors} t={t} />
        </Notice>
      ) : null}

      {email ? (
        <OutboxEmail
          email={email}
          backHref={loaderData.backHref ?? "/staff/outbox"}
          actions={
            email.canRetry ? (
              <Form method="post" {...getFormProps(form)} className="stack-sm">
                <input type="hidden" name="intent" value="retry" />
                <input type="hidden" name="id" value={email.id} />
                <p className="muted" id="outbox-retry-hint">{t("outbox:email.retryHint")}</p>
                <button type="submit" className="button" aria-describedby="outbox-retry-hint">{t("outbox:email.retry")}</button>
              </Form>
            ) : null
          }
        />
      ) : null}

      {list ? (
        <section className="stack" aria-labelledby="outbox-list-title">
          <h2 id="outbox-list-title" className="visually-hidden">{t("outbox:table.caption")}</h2>
          <Form method="get" className="toolbar">
            <div className="field">
              <label htmlFor="outbox-status">{t("outbox:filter.label")}</label>
              <select id="outbox-status" name="status" defaultValue={status ?? ""}>
                <option value="">{t("outbox:filter.all", { n: list.counts.all })}</option>
                {STATUSES.map((s) => (
                  <option key={s} value={s}>{t(`outbox:statusCount.${s}`, { n: list.counts[s] })}</option>
                ))}
              </select>
            </div>
            <button type="submit" className="button button--secondary">{t("outbox:filter.submit")}</button>
          </Form>
          <OutboxTable rows={list.rows} />
          <Pagination page={list.page} pageCount={list.pageCount} hrefFor={(page) => listHref(status ?? undefined, page)} />
        </section>
      ) : null}
    </div>
  );
}
