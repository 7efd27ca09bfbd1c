import { getFormProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { useTranslation } from "~/utils/i18n";
import { data, Form, Link, redirect, useNavigation } from "react-router";
import { FormErrorSummary } from "~/components/form-error-summary";
import { Notice } from "~/components/notice";
import { PageHeader } from "~/components/page-header";
import { Checkbox, FactsFields, NotesFields, TextsFields, registerFieldLabels } from "~/components/staff/register-fields";
import { RegisterHistory } from "~/components/staff/register-history";
import { RegisterLanguageTabs } from "~/components/staff/register-language-tabs";
import { DataFactsFields, DataTextsFields, registerDataFieldLabels } from "~/components/staff/register-data-fields";
import { DATA_TEXT_FIELDS, dayValue, parseDay, type AiSystemDataTexts } from "~/domain/ai-register-data";
import { editSystemSchema, TEXT_FIELDS } from "~/domain/ai-register-schema";
import type { AiSystemTexts } from "~/domain/ai-register.server";
import { getRegisterEntry, listActionChoices, RegisterEditError, updateRegisterEntry } from "~/domain/ai-register-editor.server";
import { servicesContext } from "~/context";
import { getLang } from "~/middleware/i18n.server";
import { requireStaff } from "~/middleware/staff.server";
import { dateFor } from "~/utils/format.server";
import { msg } from "~/utils/forms";
import { readForm } from "~/utils/forms.server";
import { DEFAULT_LANG, isLang, LANGUAGE_NAMES, LANGUAGES, type Lang } from "~/utils/languages";
import type { Route } from "./+types/ai-system-edit";

/** Texts of `lang` are required once they exist (English always): they can be changed, not emptied. */
const textsRequired = (lang: Lang, exists: boolean) => lang === DEFAULT_LANG || exists;

export async function loader({ request, params, context }: Route.LoaderArgs) {
  requireStaff(context, request, "register.edit");
  const { db } = context.get(servicesContext);
  const staffLang = getLang(context);
  const url = new URL(request.url);
  const requested = url.searchParams.get("lang");
  if (requested !== null && !isLang(requested)) throw redirect(`/staff/ai-systems/${params.slug}`);
  const lang: Lang = requested ?? DEFAULT_LANG;
  const entry = await getRegisterEntry(db, params.slug);
  if (!entry) throw data(null, { status: 404 });
  const { system } = entry;
  const titleLang = entry.texts[staffLang] ? staffLang : DEFAULT_LANG;
  const number = (name: string) => {
    const value = Number(url.searchParams.get(name));
    return Number.isInteger(value) && value > 0 ? value : null;
  };
  return {
    slug: system.slug,
    lang,
    version: system.currentVersion,
    name: entry.texts[titleLang]?.name ?? system.slug,
    facts: {
      provider: system.provider,
      riskClass: system.riskClass,
      autonomy: system.autonomy,
      channels: system.channels,
      status: system.status,
      contactEmail: system.contactEmail,
      actions: entry.actionKeys,
    },
    dataFacts: {
      recipients: entry.data.recipients,
      providerDataUse: entry.data.providerDataUse,
      usesProtectedCharacteristics: entry.data.usesProtectedCharacteristics ? "yes" : "no",
      fairnessTestedAt: dayValue(entry.data.fairnessTestedAt),
    },
    lastReviewedAt: dateFor(system.lastReviewedAt, staffLang, "date"),
    texts: entry.texts[lang] ? { ...entry.texts[lang], ...entry.dataTexts[lang] } : null,
    languages: LANGUAGES.map((l) => ({ lang: l, present: Boolean(entry.texts[l]) })),
    actionChoices: await listActionChoices(db, staffLang),
    versions: entry.versions.map((v) => {
      const noteLang = v.changeNote[staffLang] ? staffLang : DEFAULT_LANG;
      return {
        version: v.version,
        material: v.material,
        createdAt: dateFor(v.createdAt, staffLang),
        note: v.changeNote[noteLang] ?? "",
        noteLang: noteLang === staffLang ? null : noteLang,
      };
    }),
    created: url.searchParams.has("created"),
    saved: number("saved"),
    reasked: number("reasked"),
  };
}

export async function action({ request, params, context }: Route.ActionArgs) {
  const staff = requireStaff(context, request, "register.edit");
  const { db } = context.get(servicesContext);
  const entry = await getRegisterEntry(db, params.slug);
  if (!entry) throw data(null, { status: 404 });
  const formData = await readForm(request);
  const posted = formData.get("lang");
  const lang: Lang = isLang(posted) ? posted : DEFAULT_LANG;
  const submission = parseWithZod(formData, { schema: editSystemSchema(textsRequired(lang, Boolean(entry.texts[lang]))) });
  if (submission.status !== "success") return data({ result: submission.reply() }, { status: 400 });
  const v = submission.value;
  // A language not yet written may be left empty: then only the facts are saved.
  // The data and fairness fields are saved only from a form that showed them (dataFacts=1).
  const shown = v.dataFacts === "1";
  const dataValues = shown ? (Object.fromEntries(DATA_TEXT_FIELDS.map((f) => [f, v.texts[f] ?? ""])) as AiSystemDataTexts) : undefined;
  const texts = TEXT_FIELDS.every((f) => v.texts[f]) ? { lang: v.lang, values: v.texts as AiSystemTexts, dataValues } : null;
  let result;
  try {
    result = await updateRegisterEntry(db, { staffId: staff.id }, {
      slug: entry.system.slug,
      expectedVersion: v.version,
      provider: v.provider,
      riskClass: v.riskClass,
      autonomy: v.autonomy,
      channels: v.channels,
      status: v.status,
      contactEmail: v.contactEmail,
      actionKeys: v.actions,
      markReviewed: Boolean(v.markReviewed),
      data: shown
        ? {
            recipients: v.recipients,
            providerDataUse: v.providerDataUse ?? entry.data.providerDataUse,
            usesProtectedCharacteristics: v.usesProtectedCharacteristics ? v.usesProtectedCharacteristics === "yes" : entry.data.usesProtectedCharacteristics,
            fairnessTestedAt: parseDay(v.fairnessTestedAt),
          }
        : undefined,
      texts,
      changeNote: v.notes,
      material: Boolean(v.material),
    });
  } catch (error) {
    if (!(error instanceof RegisterEditError)) throw error;
    if (error.code === "notFound") throw data(null, { status: 404 });
    if (error.code === "stale") return data({ result: submission.reply({ formErrors: [msg("registerEditor:errors.stale")] }) }, { status: 409 });
    if (error.code === "noChanges") return data({ result: submission.reply({ formErrors: [msg("registerEditor:errors.noChanges")] }) }, { status: 400 });
    const fieldErrors: Record<string, string[]> = error.code === "unknownAction" ? { actions: [msg("registerEditor:errors.unknownAction")] } : { "notes.en": [msg("required")] };
    return data({ result: submission.reply({ fieldErrors }) }, { status: 400 });
  }
  const reasked = v.material || result.reasked.length > 0 ? `&reasked=${result.reasked.length}` : "";
  return redirect(`/staff/ai-systems/${entry.system.slug}?lang=${v.lang}&saved=${result.version}${reasked}`, 303);
}

type LoaderData = Route.ComponentProps["loaderData"];

function EditForm({ loaderData, lastResult }: { loaderData: LoaderData; lastResult: Route.ComponentProps["actionData"] }) {
  const { t } = useTranslation();
  const navigation = useNavigation();
  const { slug, lang, version, facts, dataFacts, texts, actionChoices, lastReviewedAt } = loaderData;
  const schema = editSystemSchema(textsRequired(lang, Boolean(texts)));
  // Two empty rows after the recipients: a new one can be added without JavaScript.
  const recipientRows = [...dataFacts.recipients, {}, {}];
  const [form, fields] = useForm({
    id: `register-${slug}-${lang}-${version}`,
    lastResult: lastResult?.result,
    defaultValue: { version: String(version), lang, ...facts, ...dataFacts, recipients: recipientRows, texts: texts ?? {}, notes: {} },
    shouldValidate: "onSubmit",
    shouldRevalidate: "onInput",
    onValidate: ({ formData }) => parseWithZod(formData, { schema }),
  });
  const language = LANGUAGE_NAMES[lang];
  const recipients = fields.recipients.getFieldList().map((row) => {
    const cells = row.getFieldset();
    return { key: row.key ?? row.id, name: cells.name, role: cells.role, country: cells.country, safeguard: cells.safeguard };
  });
  const textFields = fields.texts.getFieldset();
  const dependent = actionChoices.filter((a) => facts.actions.includes(a.key)).map((a) => a.label);
  return (
    <>
      <FormErrorSummary form={form} labels={{ ...registerFieldLabels(t), ...registerDataFieldLabels(t, recipients.length) }} />
      <Form method="post" action={`/staff/ai-systems/${slug}?lang=${lang}`} {...getFormProps(form)} className="stack-lg">
        <input type="hidden" name="version" value={version} />
        <input type="hidden" name="lang" value={lang} />
        <input type="hidden" name="dataFacts" value="1" />
        <section className="card stack" aria-labelledby="facts-title">
          <h2 id="facts-title">{t("registerEditor:facts.title")}</h2>
          <FactsFields fields={fields} actionChoices={actionChoices} />
          <Checkbox field={fields.markReviewed} label={t("registerEditor:facts.markReviewed")} hint={t("registerEditor:facts.markReviewedHint", { date: lastReviewedAt.text })} />
        </section>
        <section className="card stack" aria-labelledby="texts-title">
          <h2 id="texts-title">{t("registerEditor:edit.textsTitle", { language })}</h2>
          <RegisterLanguageTabs slug={slug} current={lang} languages={loaderData.languages} />
          <p className="muted">{t("registerEditor:edit.switchHint")}</p>
          {texts ? null : (
            <Notice tone="info" title={t("registerEditor:edit.missingTitle", { language })}>
              <p>{t("registerEditor:edit.missingBody", { language })}</p>
            </Notice>
          )}
          <TextsFields fields={textFields} lang={lang} />
        </section>
        <section className="card stack" aria-labelledby="data-title">
          <h2 id="data-title">{t("registerData:title")}</h2>
          <p className="muted">{t("registerData:lead")}</p>
          <DataFactsFields fields={fields} recipients={recipients} />
          <h3>{t("registerData:textsTitle", { language })}</h3>
          <DataTextsFields fields={textFields} lang={lang} />
        </section>
        <section className="card stack" aria-labelledby="change-title">
          <h2 id="change-title">{t("registerEditor:change.title")}</h2>
          <p className="muted">{t("registerEditor:change.lead")}</p>
          <NotesFields fields={fields.notes.getFieldset()} lang={lang} />
          <Checkbox
            field={fields.material}
            label={t("registerEditor:change.material")}
            hint={
              dependent.length > 0
                ? t("registerEditor:change.materialHint", { choices: dependent.join(", ") })
                : t("registerEditor:change.materialHintNone")
            }
          />
          <div className="form-actions">
            <button type="submit" className="button" disabled={navigation.state === "submitting"}>
              {t("registerEditor:change.submit", { version: version + 1 })}
            </button>
          </div>
        </section>
      </Form>
    </>
  );
}

export default function EditAiSystem({ loaderData, actionData }: Route.ComponentProps) {
  const { t } = useTranslation();
  const { slug, lang, version, name, created, saved, reasked, versions } = loaderData;
  return (
    <div className="stack-lg">
      <p><Link to="/staff/ai-systems">{t("registerEditor:back")}</Link></p>
      <PageHeader title={t("registerEditor:edit.title", { name })} lead={t("registerEditor:edit.lead", { slug, version })}>
        <p>
          <Link to={`/${lang}/ai-systems/${slug}`}>{t("registerEditor:edit.publicLink")}</Link>
        </p>
        <p>
          <Link to={`/staff/ai-systems/${slug}/audits`}>{t("audits:link")}</Link>
        </p>
      </PageHeader>
      {created ? <Notice tone="success" title={t("registerEditor:create.done")}><p>{t("registerEditor:create.doneBody")}</p></Notice> : null}
      {saved ? (
        <Notice tone="success" title={t("registerEditor:edit.saved", { version: saved })}>
          {reasked ? <p>{t("registerEditor:edit.reasked", { count: reasked })}</p> : null}
        </Notice>
      ) : null}
      <EditForm key={`${lang}-${version}`} loaderData={loaderData} lastResult={actionData} />
      <section className="card stack" aria-labelledby="history-title">
        <h2 id="history-title">{t("registerEditor:history.title")}</h2>
        <RegisterHistory versions={versions} />
      </section>
    </div>
  );
}
