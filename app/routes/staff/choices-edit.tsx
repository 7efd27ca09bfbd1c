import { getFormProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { useTranslation } from "~/utils/i18n";
import { data, Form, Link, redirect } from "react-router";
import { FieldErrors } from "~/components/field";
import { FormErrorSummary } from "~/components/form-error-summary";
import { Notice } from "~/components/notice";
import { PageHeader } from "~/components/page-header";
import { NoticeEditSchema, notesFromForm, textsFromForm } from "~/components/staff/choice-editor-schema";
import { ChoiceEditorTexts, choiceTextLabels, type ChoiceEditorFields } from "~/components/staff/choice-editor-texts";
import { ChoiceEditorError, findEditorChoice, fixNoticeWording, publishNoticeVersion } from "~/domain/choice-editor.server";
import { servicesContext } from "~/context";
import { getLang } from "~/middleware/i18n.server";
import { requireStaff } from "~/middleware/staff.server";
import { formatNumber } from "~/utils/format.server";
import { msg } from "~/utils/forms";
import { readForm } from "~/utils/forms.server";
import { DEFAULT_LANG, LANGUAGES, type Lang } from "~/utils/languages";
import type { Route } from "./+types/choices-edit";

const DONE = ["created", "version", "fix"] as const;

export async function loader({ request, params, context }: Route.LoaderArgs) {
  requireStaff(context, request, "settings.manage");
  const { db } = context.get(servicesContext);
  const lang = getLang(context) as Lang;
  const choice = await findEditorChoice(db, params.key);
  if (!choice) throw data(null, { status: 404 });
  const done = new URL(request.url).searchParams.get("done");
  const values: Record<string, string> = { mode: "version" };
  for (const l of LANGUAGES) {
    values[`label_${l}`] = choice.texts[l]?.label ?? "";
    values[`explanation_${l}`] = choice.texts[l]?.explanation ?? "";
  }
  return {
    done: (DONE as readonly (string | null)[]).includes(done) ? (done as (typeof DONE)[number]) : null,
    choice: {
      key: choice.key,
      kind: choice.kind,
      label: choice.texts[lang]?.label ?? choice.texts[DEFAULT_LANG]?.label ?? choice.key,
      version: formatNumber(choice.noticeVersion, lang),
      involvesAmount: choice.involvesAmount,
    },
    values,
  };
}

export async function action({ request, params, context }: Route.ActionArgs) {
  const admin = requireStaff(context, request, "settings.manage");
  const { db } = context.get(servicesContext);
  const submission = parseWithZod(await readForm(request), { schema: NoticeEditSchema });
  if (submission.status !== "success") return data({ result: submission.reply() }, { status: 400 });
  const value = submission.value as Record<string, unknown> & { mode: "version" | "fix" };
  const actor = { type: "staff" as const, id: admin.id };
  try {
    if (value.mode === "version") await publishNoticeVersion(db, { choiceKey: params.key, texts: textsFromForm(value), changeNote: notesFromForm(value) }, actor);
    else await fixNoticeWording(db, { choiceKey: params.key, texts: textsFromForm(value) }, actor);
  } catch (error) {
    if (!(error instanceof ChoiceEditorError)) throw error;
    if (error.code === "unknown") throw data(null, { status: 404 });
    return data({ result: submission.reply({ formErrors: [msg("invalid")] }) }, { status: 400 });
  }
  return redirect(`/staff/choices/${params.key}?done=${value.mode}`, 303);
}

export default function StaffChoiceEdit({ loaderData, actionData }: Route.ComponentProps) {
  const { t } = useTranslation();
  const { choice } = loaderData;
  const [form, fields] = useForm({
    id: `choice-${choice.key}`,
    lastResult: actionData?.result,
    defaultValue: loaderData.values,
    shouldValidate: "onSubmit",
    shouldRevalidate: "onInput",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: NoticeEditSchema }),
  });
  const f = fields as unknown as ChoiceEditorFields;
  const mode = String(f.mode!.initialValue ?? "version");
  return (
    <div className="stack-lg">
      <PageHeader title={t("choiceEditor:edit.title", { label: choice.label })} lead={t("choiceEditor:edit.lead", { version: choice.version })}>
        <p><Link to="/staff/choices">{t("choiceEditor:edit.back")}</Link></p>
      </PageHeader>
      {loaderData.done && !actionData ? <Notice tone="success" title={t(`choiceEditor:done.${loaderData.done}`, { version: choice.version })} /> : null}
      <p>
        <code>{choice.key}</code> · {t(`choiceEditor:kinds.${choice.kind}`)}
        {choice.kind === "action" ? <> · {t(choice.involvesAmount ? "choiceEditor:edit.involvesAmount" : "choiceEditor:edit.noAmount")}</> : null}
      </p>
      <FormErrorSummary form={form} labels={{ mode: t("choiceEditor:fields.mode"), ...choiceTextLabels(t, true) }} />
      <Form method="post" {...getFormProps(form)} className="card stack" key={form.key}>
        <FieldErrors id={form.errorId} errors={form.errors} t={t} />
        <fieldset className="stack-sm">
          <legend>{t("choiceEditor:fields.mode")}</legend>
          <div className="radio-list">
            {(["version", "fix"] as const).map((m) => (
              <label key={m} className="radio">
                <input type="radio" name="mode" value={m} id={`${f.mode!.id}-${m}`} defaultChecked={mode === m} />
                <span>
                  <span className="radio__label">{t(`choiceEditor:modes.${m}`)}</span>
                  <span className="radio__hint">{t(`choiceEditor:modes.${m}Hint`)}</span>
                </span>
              </label>
            ))}
          </div>
        </fieldset>
        <ChoiceEditorTexts fields={f} withNotes />
        <div className="form-actions">
          <button type="submit" className="button">{t("choiceEditor:edit.submit")}</button>
        </div>
      </Form>
    </div>
  );
}
