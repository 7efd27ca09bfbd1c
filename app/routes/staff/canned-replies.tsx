import { getFormProps, getInputProps, getSelectProps, getTextareaProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { useTranslation } from "~/utils/i18n";
import { data, Form, Link, redirect } from "react-router";
import { z } from "zod";
import { Field, FieldErrors } from "~/components/field";
import { FormErrorSummary } from "~/components/form-error-summary";
import { Notice } from "~/components/notice";
import { useSubmission } from "~/components/use-submission";
import { PageHeader } from "~/components/page-header";
import { Time } from "~/components/time";
import { CANNED_KEY_PATTERN, CANNED_TITLE_MAX } from "~/domain/vocabulary";
import { ConcernStateError, findCannedReply, listCannedReplies, saveCannedReply } from "~/domain/concerns/index.server";
import { REPLY_MAX } from "~/domain/vocabulary";
import { servicesContext } from "~/context";
import { getLang } from "~/middleware/i18n.server";
import { requireStaff } from "~/middleware/staff.server";
import { once } from "~/domain/submissions.server";
import { dateFor } from "~/utils/format.server";
import { msg, text } from "~/utils/forms";
import { readForm } from "~/utils/forms.server";
import { LANGUAGE_NAMES, LANGUAGES } from "~/utils/languages";
import type { Route } from "./+types/canned-replies";

const CannedReplySchema = z.object({
  id: z.number().int().positive().optional(),
  key: z
    .string({ error: msg("required") })
    .trim()
    .toLowerCase()
    .regex(CANNED_KEY_PATTERN, msg("queue:errors.cannedKey")),
  lang: z.enum(LANGUAGES, { error: msg("chooseOne") }),
  title: text({ max: CANNED_TITLE_MAX }),
  body: text({ max: REPLY_MAX }),
});

export async function loader({ request, context }: Route.LoaderArgs) {
  requireStaff(context, request, "concerns.assign");
  const { db } = context.get(servicesContext);
  const lang = getLang(context);
  const url = new URL(request.url);
  const editId = Number(url.searchParams.get("edit"));
  const editing = Number.isInteger(editId) && editId > 0 ? await findCannedReply(db, editId) : undefined;
  if (url.searchParams.has("edit") && !editing) throw data(null, { status: 404 });
  const replies = await listCannedReplies(db);
  const keys = [...new Set(replies.map((r) => r.key))];
  const newKey = url.searchParams.get("key") ?? "";
  const newLang = url.searchParams.get("lang") ?? "";
  return {
    groups: keys.map((key) => ({
      key,
      replies: replies
        .filter((r) => r.key === key)
        .map((r) => ({ id: r.id, lang: r.lang, title: r.title, body: r.body, updatedAt: dateFor(r.updatedAt, lang) })),
      missing: LANGUAGES.filter((l) => !replies.some((r) => r.key === key && r.lang === l)),
    })),
    editing: editing ? { id: editing.id, key: editing.key, lang: editing.lang, title: editing.title, body: editing.body } : null,
    prefill: {
      key: CANNED_KEY_PATTERN.test(newKey) ? newKey : "",
      lang: (LANGUAGES as readonly string[]).includes(newLang) ? newLang : "",
    },
    done: url.searchParams.get("done")?.match(/^(created|updated)$/)?.[0] ?? null,
  };
}

export async function action({ request, context }: Route.ActionArgs) {
  const staff = requireStaff(context, request, "concerns.assign");
  const { db } = context.get(servicesContext);
  const submission = parseWithZod(await readForm(request), { schema: CannedReplySchema });
  if (submission.status !== "success") return data({ result: submission.reply() }, { status: 400 });
  const value = submission.value;
  try {
    // A new reply sent twice within the window is saved once (edits are idempotent anyway).
    if (value.id) await saveCannedReply(db, value, staff);
    else await once(db, { actor: `staff:${staff.id}`, action: "canned_reply.create", content: value }, (tx) => saveCannedReply(tx, value, staff));
  } catch (error) {
    if (!(error instanceof ConcernStateError)) throw error;
    if (error.code === "forbidden") throw data({ reason: "no_permission" as const }, { status: 403 });
    if (error.code === "not_found") throw data(null, { status: 404 });
    const message = msg(`queue:errors.${error.code === "duplicate_canned_reply" ? "duplicate_canned_reply" : "invalid"}`);
    return data({ result: submission.reply({ fieldErrors: { lang: [message] } }) }, { status: error.code === "duplicate_canned_reply" ? 409 : 400 });
  }
  return redirect(`/staff/canned-replies?done=${value.id ? "updated" : "created"}`, 303);
}

export default function CannedReplies({ loaderData, actionData }: Route.ComponentProps) {
  const { t } = useTranslation();
  const { editing, prefill } = loaderData;
  const [form, fields] = useForm({
    id: editing ? `canned-${editing.id}` : "canned-new",
    lastResult: actionData?.result,
    defaultValue: editing ?? { key: prefill.key, lang: prefill.lang, title: "", body: "" },
    shouldValidate: "onSubmit",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: CannedReplySchema }),
  });
  const formProps = getFormProps(form);
  const submission = useSubmission(formProps.onSubmit);
  return (
    <div className="stack-lg">
      <PageHeader title={t("queue:canned.title")} lead={t("queue:canned.lead")}>
        <p><Link to="/staff/concerns">{t("queue:case.back")}</Link></p>
      </PageHeader>
      {loaderData.done ? <Notice tone="success" title={t(`queue:canned.done.${loaderData.done}`)} /> : null}
      <FormErrorSummary
        form={form}
        labels={{ key: t("queue:canned.key"), lang: t("queue:canned.lang"), title: t("queue:canned.titleLabel"), body: t("queue:canned.body") }}
      />

      <section className="card stack" aria-labelledby="canned-form-title">
        <h2 id="canned-form-title">{editing ? t("queue:canned.editTitle", { key: editing.key, lang: editing.lang }) : t("queue:canned.newTitle")}</h2>
        <Form method="post" {...formProps} onSubmit={submission.onSubmit} className="stack" key={form.id}>
          {editing ? <input type="hidden" name="id" value={editing.id} /> : null}
          <FieldErrors id={form.errorId} errors={form.errors} t={t} />
          <div className="toolbar">
            <Field id={fields.key.id} label={t("queue:canned.key")} hint={t("queue:canned.keyHint")} errors={fields.key.errors}>
              <input {...getInputProps(fields.key, { type: "text", ariaDescribedBy: `${fields.key.id}-hint` })} maxLength={60} autoComplete="off" />
            </Field>
            <Field id={fields.lang.id} label={t("queue:canned.lang")} errors={fields.lang.errors}>
              <select {...getSelectProps(fields.lang)}>
                <option value="">{t("queue:canned.chooseLang")}</option>
                {LANGUAGES.map((l) => (
                  <option key={l} value={l} lang={l}>{LANGUAGE_NAMES[l]}</option>
                ))}
              </select>
            </Field>
          </div>
          <Field id={fields.title.id} label={t("queue:canned.titleLabel")} errors={fields.title.errors}>
            <input {...getInputProps(fields.title, { type: "text" })} />
          </Field>
          <Field id={fields.body.id} label={t("queue:canned.body")} hint={t("queue:case.bodyHint", { max: REPLY_MAX })} errors={fields.body.errors}>
            <textarea {...getTextareaProps(fields.body, { ariaDescribedBy: `${fields.body.id}-hint` })} rows={6} />
          </Field>
          <div className="form-actions">
            <button type="submit" className="button" disabled={submission.pending}>{t(editing ? "queue:canned.saveEdit" : "queue:canned.create")}</button>
            {editing ? <Link to="/staff/canned-replies">{t("queue:canned.cancel")}</Link> : null}
          </div>
        </Form>
      </section>

      <section className="stack" aria-labelledby="canned-list-title">
        <h2 id="canned-list-title">{t("queue:canned.listTitle")}</h2>
        {loaderData.groups.length === 0 ? <p className="muted">{t("queue:canned.empty")}</p> : null}
        {loaderData.groups.map((group) => (
          <article key={group.key} className="card stack" aria-labelledby={`canned-${group.key}`}>
            <h3 id={`canned-${group.key}`}><code>{group.key}</code></h3>
            <ul className="plain-list stack">
              {group.replies.map((r) => (
                <li key={r.id} className="stack-sm">
                  <p>
                    <strong lang={r.lang}>{r.title}</strong>
                    {t("queue:timeline.separator")}
                    <span>{LANGUAGE_NAMES[r.lang as keyof typeof LANGUAGE_NAMES] ?? r.lang}</span>
                    {t("queue:timeline.separator")}
                    <span className="muted">{t("queue:canned.updated")} <Time value={r.updatedAt} /></span>
                  </p>
                  <p className="user-text muted" lang={r.lang}>{r.body}</p>
                  <p>
                    <Link to={`/staff/canned-replies?edit=${r.id}`}>
                      {t("queue:canned.edit")}
                      <span className="visually-hidden">{t("queue:canned.editWhich", { title: r.title, lang: LANGUAGE_NAMES[r.lang as keyof typeof LANGUAGE_NAMES] ?? r.lang })}</span>
                    </Link>
                  </p>
                </li>
              ))}
            </ul>
            {group.missing.length > 0 ? (
              <p>
                {t("queue:canned.missing")}{" "}
                {group.missing.map((l) => (
                  <Link key={l} to={`/staff/canned-replies?key=${group.key}&lang=${l}`} className="queue-missing-lang" lang={l}>
                    {LANGUAGE_NAMES[l]}
                  </Link>
                ))}
              </p>
            ) : null}
          </article>
        ))}
      </section>
    </div>
  );
}
