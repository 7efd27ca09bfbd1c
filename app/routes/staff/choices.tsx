import { getFormProps, getInputProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { useTranslation } from "~/utils/i18n";
import { data, Form, Link, redirect } from "react-router";
import { Field } from "~/components/field";
import { FormErrorSummary } from "~/components/form-error-summary";
import { PageHeader } from "~/components/page-header";
import { ActionKindSchema, textsFromForm } from "~/components/staff/choice-editor-schema";
import { ChoiceEditorTexts, choiceTextLabels, type ChoiceEditorFields } from "~/components/staff/choice-editor-texts";
import { ChoiceEditorError, defineActionKind, listEditorChoices } from "~/domain/choice-editor.server";
import { once } from "~/domain/submissions.server";
import { CHOICE_VALUES } from "~/domain/vocabulary";
import { servicesContext } from "~/context";
import { getLang } from "~/middleware/i18n.server";
import { requireStaff } from "~/middleware/staff.server";
import { formatNumber } from "~/utils/format.server";
import { msg } from "~/utils/forms";
import { readForm } from "~/utils/forms.server";
import { DEFAULT_LANG, type Lang } from "~/utils/languages";
import type { Route } from "./+types/choices";

export async function loader({ request, context }: Route.LoaderArgs) {
  requireStaff(context, request, "settings.manage");
  const { db } = context.get(servicesContext);
  const lang = getLang(context) as Lang;
  const choices = await listEditorChoices(db);
  return {
    nextPosition: Math.max(0, ...choices.map((c) => c.position)) + 1,
    choices: choices.map((c) => ({
      key: c.key,
      kind: c.kind,
      label: c.texts[lang]?.label ?? c.texts[DEFAULT_LANG]?.label ?? c.key,
      version: formatNumber(c.noticeVersion, lang),
      defaultValue: c.defaultValue,
    })),
  };
}

export async function action({ request, context }: Route.ActionArgs) {
  const admin = requireStaff(context, request, "settings.manage");
  const { db } = context.get(servicesContext);
  const submission = parseWithZod(await readForm(request), { schema: ActionKindSchema });
  if (submission.status !== "success") return data({ result: submission.reply() }, { status: 400 });
  const value = submission.value;
  const input = { key: value.key, texts: textsFromForm(value), involvesAmount: value.involvesAmount === "on", position: value.position, defaultValue: value.defaultValue };
  try {
    await once(db, { actor: `staff:${admin.id}`, action: "choice.define", content: input }, (tx) => defineActionKind(tx, input, { type: "staff", id: admin.id }));
  } catch (error) {
    if (!(error instanceof ChoiceEditorError)) throw error;
    const message = msg(error.code === "duplicate" ? "choiceEditor:errors.duplicate" : "choiceEditor:errors.key");
    return data({ result: submission.reply({ fieldErrors: { key: [message] } }) }, { status: error.code === "duplicate" ? 409 : 400 });
  }
  return redirect(`/staff/choices/${value.key}?done=created`, 303);
}

export default function StaffChoices({ loaderData, actionData }: Route.ComponentProps) {
  const { t } = useTranslation();
  const [form, fields] = useForm({
    id: "choice-new",
    lastResult: actionData?.result,
    defaultValue: { position: String(loaderData.nextPosition), defaultValue: "ask" },
    shouldValidate: "onSubmit",
    shouldRevalidate: "onInput",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: ActionKindSchema }),
  });
  const f = fields as unknown as ChoiceEditorFields;
  const labels = {
    key: t("choiceEditor:fields.key"),
    ...choiceTextLabels(t, false),
    position: t("choiceEditor:fields.position"),
    defaultValue: t("choiceEditor:fields.defaultValue"),
  };
  return (
    <div className="stack-lg">
      <PageHeader title={t("choiceEditor:title")} lead={t("choiceEditor:lead")}>
        <p><Link to="/staff/settings">{t("choiceEditor:toSettings")}</Link></p>
      </PageHeader>
      <section className="stack" aria-labelledby="choices-list-title">
        <h2 id="choices-list-title">{t("choiceEditor:list.title")}</h2>
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">{t("choiceEditor:list.choice")}</th>
                <th scope="col">{t("choiceEditor:list.kind")}</th>
                <th scope="col">{t("choiceEditor:list.version")}</th>
                <th scope="col">{t("choiceEditor:list.default")}</th>
              </tr>
            </thead>
            <tbody>
              {loaderData.choices.map((c) => (
                <tr key={c.key}>
                  <th scope="row">
                    <Link to={`/staff/choices/${c.key}`}>{c.label}</Link> <code>{c.key}</code>
                  </th>
                  <td>{t(`choiceEditor:kinds.${c.kind}`)}</td>
                  <td>{c.version}</td>
                  <td>{t(`choiceValues.${c.defaultValue}`)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>

      <section className="card stack" aria-labelledby="choice-new-title">
        <h2 id="choice-new-title">{t("choiceEditor:create.title")}</h2>
        <p className="muted">{t("choiceEditor:create.lead")}</p>
        <FormErrorSummary form={form} labels={labels} />
        <Form method="post" {...getFormProps(form)} className="stack" key={form.key}>
          <Field id={f.key!.id} label={labels.key} hint={t("choiceEditor:fields.keyHint")} errors={f.key!.errors}>
            <input {...getInputProps(f.key!, { type: "text", ariaDescribedBy: `${f.key!.id}-hint` })} maxLength={40} autoComplete="off" spellCheck={false} />
          </Field>
          <ChoiceEditorTexts fields={f} withNotes={false} />
          <label className="radio">
            <input type="checkbox" id={f.involvesAmount!.id} name="involvesAmount" value="on" defaultChecked={f.involvesAmount!.initialValue === "on"} />
            <span>
              <span className="radio__label">{t("choiceEditor:fields.involvesAmount")}</span>
              <span className="radio__hint">{t("choiceEditor:fields.involvesAmountHint")}</span>
            </span>
          </label>
          <Field id={f.position!.id} label={labels.position} hint={t("choiceEditor:fields.positionHint")} errors={f.position!.errors}>
            <input {...getInputProps(f.position!, { type: "number", ariaDescribedBy: `${f.position!.id}-hint` })} min={0} max={1000} step={1} inputMode="numeric" />
          </Field>
          <Field id={f.defaultValue!.id} label={labels.defaultValue} errors={f.defaultValue!.errors}>
            <select id={f.defaultValue!.id} name="defaultValue" key={`${form.key}-default`} defaultValue={String(f.defaultValue!.initialValue ?? "ask")}>
              {CHOICE_VALUES.action.map((v) => (
                <option key={v} value={v}>{t(`choiceValues.${v}`)}</option>
              ))}
            </select>
          </Field>
          <div className="form-actions">
            <button type="submit" className="button">{t("choiceEditor:create.submit")}</button>
          </div>
        </Form>
      </section>
    </div>
  );
}
