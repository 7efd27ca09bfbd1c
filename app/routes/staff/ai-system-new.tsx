import { getFormProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { useTranslation } from "~/utils/i18n";
import { data, Form, Link, redirect, useNavigation } from "react-router";
import { FormErrorSummary } from "~/components/form-error-summary";
import { PageHeader } from "~/components/page-header";
import { FactsFields, TextArea, TextInput, TextsFields, registerFieldLabels } from "~/components/staff/register-fields";
import { CreateSystemSchema, SLUG_MAX } from "~/domain/ai-register-schema";
import { createRegisterEntry, listActionChoices, RegisterEditError } from "~/domain/ai-register-editor.server";
import { servicesContext } from "~/context";
import { getI18n, getLang } from "~/middleware/i18n.server";
import { requireStaff } from "~/middleware/staff.server";
import { once } from "~/domain/submissions.server";
import { msg } from "~/utils/forms";
import { readForm } from "~/utils/forms.server";
import { LANGUAGES } from "~/utils/languages";
import type { Route } from "./+types/ai-system-new";

export async function loader({ request, context }: Route.LoaderArgs) {
  requireStaff(context, request, "register.edit");
  const { db } = context.get(servicesContext);
  return { actionChoices: await listActionChoices(db, getLang(context)) };
}

export async function action({ request, context }: Route.ActionArgs) {
  const staff = requireStaff(context, request, "register.edit");
  const { db } = context.get(servicesContext);
  const submission = parseWithZod(await readForm(request), { schema: CreateSystemSchema });
  if (submission.status !== "success") return data({ result: submission.reply() }, { status: 400 });
  const { slug, actions, texts, note, ...facts } = submission.value;
  // Without a note of their own, version 1 says "added to the register" in every language.
  const i18n = getI18n(context);
  const changeNote = note
    ? { en: note }
    : Object.fromEntries(LANGUAGES.map((l) => [l, i18n.getFixedT(l, "registerEditor")("create.defaultNote")]));
  try {
    await once(db, { actor: `staff:${staff.id}`, action: "ai_system.create", content: submission.value }, async (tx) => {
      await createRegisterEntry(tx, { staffId: staff.id }, { slug, ...facts, actionKeys: actions, texts, changeNote });
    });
  } catch (error) {
    if (!(error instanceof RegisterEditError)) throw error;
    const fieldErrors: Record<string, string[]> =
      error.code === "slugTaken"
        ? { slug: [msg("registerEditor:errors.slugTaken")] }
        : error.code === "unknownAction"
          ? { actions: [msg("registerEditor:errors.unknownAction")] }
          : { note: [msg("required")] };
    return data({ result: submission.reply({ fieldErrors }) }, { status: 400 });
  }
  return redirect(`/staff/ai-systems/${slug}?created=1`, 303);
}

export default function NewAiSystem({ loaderData, actionData }: Route.ComponentProps) {
  const { t } = useTranslation();
  const navigation = useNavigation();
  const [form, fields] = useForm({
    lastResult: actionData?.result,
    defaultValue: { riskClass: "", autonomy: "", channels: [], actions: [] },
    shouldValidate: "onSubmit",
    shouldRevalidate: "onInput",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: CreateSystemSchema }),
  });
  const texts = fields.texts.getFieldset();
  return (
    <div className="stack-lg">
      <p><Link to="/staff/ai-systems">{t("registerEditor:back")}</Link></p>
      <PageHeader title={t("registerEditor:create.title")} lead={t("registerEditor:create.lead")} />
      <FormErrorSummary form={form} labels={registerFieldLabels(t)} />
      <Form method="post" {...getFormProps(form)} className="stack-lg">
        <section className="card stack" aria-labelledby="facts-title">
          <h2 id="facts-title">{t("registerEditor:facts.title")}</h2>
          <TextInput field={fields.slug} label={t("registerEditor:create.slug")} hint={t("registerEditor:create.slugHint")} maxLength={SLUG_MAX} />
          <FactsFields fields={fields} actionChoices={loaderData.actionChoices} />
        </section>
        <section className="card stack" aria-labelledby="texts-title">
          <h2 id="texts-title">{t("registerEditor:create.textsTitle")}</h2>
          <p className="muted">{t("registerEditor:create.textsLead")}</p>
          <TextsFields fields={texts} lang="en" />
        </section>
        <section className="card stack" aria-labelledby="note-title">
          <h2 id="note-title">{t("registerEditor:create.noteTitle")}</h2>
          <TextArea field={fields.note} label={t("registerEditor:create.note")} hint={t("registerEditor:create.noteHint")} lang="en" rows={2} />
          <div className="form-actions">
            <button type="submit" className="button" disabled={navigation.state === "submitting"}>
              {t("registerEditor:create.submit")}
            </button>
          </div>
        </section>
      </Form>
    </div>
  );
}
