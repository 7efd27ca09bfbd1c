import { useCallback } from "react";
import { useTranslation } from "~/utils/i18n";
import { Form, useNavigation } from "react-router";
import { ChoiceFieldset } from "~/components/choice-fieldset";
import { ChoiceHistory } from "~/components/choice-history";
import { ChoiceValuesExplained } from "~/components/choice-values";
import { FormErrorSummary } from "~/components/form-error-summary";
import { Notice } from "~/components/notice";
import { PageHeader } from "~/components/page-header";
import { ReconfirmChoice } from "~/components/reconfirm-choice";
import { TimeZoneField } from "~/components/time-zone-field";
import { TrainingUndo } from "~/components/training-undo";
import { TRAINING_KEY, type ChoiceKind } from "~/domain/vocabulary";
import { useLightForm, type FormResult } from "~/utils/light-form";
import type { Route } from "./+types/preferences";
import { LIMIT_FIELDS, type LimitField, type LimitsFormValues } from "./preferences-fields";
import { handlePreferencesPost, preferencesPageData } from "./preferences-page.server";

export async function loader(args: Route.LoaderArgs) {
  return preferencesPageData(args);
}

/** The main form saves what changed; a choice awaiting reconfirmation is confirmed in its own form. */
export async function action(args: Route.ActionArgs) {
  return handlePreferencesPost(args);
}

export default function Preferences({ loaderData, actionData }: Route.ComponentProps) {
  const { t } = useTranslation();
  const { choices, history, historyTotal, lang, saved, confirmed, gpc, options, timeZone, timeZoneOptions, timeZoneLabel, currencies } = loaderData;
  const navigation = useNavigation();
  // Zod and Conform's parser load at the first focus in the form; the action checks every post.
  const loadValidator = useCallback(() => import("./preferences-validate").then((m) => m.preferencesValidator(options)), [options]);
  const mainResult = (actionData?.result ?? null) as FormResult | null;
  const confirmResult = (actionData?.confirm ?? null) as (FormResult & { initialValue?: { choice?: unknown } | null }) | null;
  const pending = choices.filter((c) => c.needsReconfirmation);
  const form = useLightForm({
    lastResult: mainResult,
    defaultValue: { ...Object.fromEntries(choices.map((c) => [c.key, c.value])), timeZone },
    loadValidator,
    messages: ["common:errors.", "common:preferences.limits.errors."],
  });
  // What the limit fields show: what was typed before an error, else the stored limits.
  const typed = (mainResult?.initialValue as { limits?: Record<string, Partial<Record<LimitField, unknown>>> } | null | undefined)?.limits;
  const limitValues = (key: string, stored: LimitsFormValues): LimitsFormValues => {
    const posted = typed?.[key];
    if (!posted) return stored;
    const text = (field: LimitField) => (typeof posted[field] === "string" ? (posted[field] as string) : "");
    const channels = posted.channels;
    return {
      amount: text("amount"),
      currency: text("currency") || stored.currency,
      channels: Array.isArray(channels) ? channels.filter((c): c is string => typeof c === "string") : typeof channels === "string" ? [channels] : [],
      quietFrom: text("quietFrom"),
      quietTo: text("quietTo"),
      days: text("days"),
    };
  };
  const limitErrors = (key: string) =>
    Object.fromEntries(LIMIT_FIELDS.map((field) => [field, form.allErrors[`limits.${key}.${field}`]])) as Partial<Record<LimitField, string[]>>;
  const fieldLabels: Record<LimitField, string> = {
    amount: t("preferences.limits.amount"),
    currency: t("preferences.limits.currency"),
    channels: t("preferences.limits.channels"),
    quietFrom: t("preferences.limits.quietFrom"),
    quietTo: t("preferences.limits.quietTo"),
    days: t("preferences.limits.allowedFor"),
  };
  const summaryLabels: Record<string, string> = Object.fromEntries(
    choices.flatMap((c) => [[c.key, c.label], ...(c.limits ? LIMIT_FIELDS.map((f) => [`limits.${c.key}.${f}`, `${c.label} — ${fieldLabels[f]}`]) : [])]),
  );
  summaryLabels.timeZone = t("preferences.limits.timeZone");
  const training = choices.find((c) => c.key === TRAINING_KEY);
  const gpcApplied = gpc && training?.gpcApplied;
  // The customer chose the training value themselves: the signal was received but does not decide.
  const gpcOverridden = gpc && training !== undefined && !training.isDefault && !training.gpcApplied;
  const groups: { kind: ChoiceKind; title: string; intro: string }[] = [
    { kind: "action", title: t("preferences.actionsTitle"), intro: t("preferences.actionsIntro") },
    { kind: "identity", title: t("identity.title"), intro: t("identity.intro") },
    { kind: "training", title: t("preferences.trainingTitle"), intro: t("preferences.trainingIntro") },
    { kind: "human_first", title: t("preferences.humanTitle"), intro: t("preferences.humanIntro") },
  ];
  const confirmErrorsFor = (key: string) =>
    confirmResult?.initialValue?.choice === key ? Object.values(confirmResult.error ?? {}).flatMap((m) => m ?? []) : undefined;
  return (
    <div className="stack-lg">
      <PageHeader title={t("preferences.title")} lead={t("preferences.lead")} />

      {saved !== null ? (
        <div id="saved">
          <Notice tone="success" title={t(confirmed ? "preferences.confirm.doneTitle" : "preferences.savedTitle")}>
            <p>
              {confirmed
                ? t("preferences.confirm.doneBody", { choice: confirmed.label })
                : saved > 0
                  ? t("preferences.savedBody", { count: saved })
                  : t("preferences.savedNothing")}
            </p>
          </Notice>
        </div>
      ) : null}
      {gpcApplied ? (
        <Notice tone="info" title={t("preferences.gpcTitle")}>
          <p>{t("preferences.gpcBody")}</p>
        </Notice>
      ) : gpcOverridden ? (
        <Notice tone="info" title={t("preferences.gpcOverriddenTitle")}>
          <p>{t("preferences.gpcOverriddenBody")}</p>
        </Notice>
      ) : null}
      {pending.length > 0 ? (
        <section className="card stack" aria-labelledby="reconfirm-title">
          <h2 id="reconfirm-title">{t("preferences.reconfirmTitle")}</h2>
          <p>{t("preferences.reconfirmBody", { count: pending.length })}</p>
          {pending.map((choice) => (
            <ReconfirmChoice key={choice.key} choice={choice} lang={lang} errors={confirmErrorsFor(choice.key)} />
          ))}
        </section>
      ) : null}
      <FormErrorSummary form={form} labels={summaryLabels} />

      <Form method="post" {...form.props} className="stack-lg">
        <input type="hidden" name="shown" value={choices.map((c) => `${c.key}:${c.noticeVersion}`).join(",")} />
        {groups.map((group) => {
          const inGroup = choices.filter((c) => c.kind === group.kind);
          if (inGroup.length === 0) return null;
          // Several choices of one kind: their values are explained once, not under each choice.
          const explainedOnce = inGroup.length > 1;
          return (
            <section key={group.kind} className="card stack" aria-labelledby={`group-${group.kind}`}>
              <h2 id={`group-${group.kind}`}>{group.title}</h2>
              <p>{group.intro}</p>
              {explainedOnce ? <ChoiceValuesExplained kind={group.kind} /> : null}
              {inGroup.map((choice) => (
                <ChoiceFieldset
                  key={choice.key}
                  choice={choice}
                  formId={form.id}
                  checked={(form.initialValue(choice.key) as string | undefined) ?? choice.value}
                  hints={!explainedOnce}
                  limits={
                    choice.limits
                      ? { values: limitValues(choice.key, choice.limits.values), errors: limitErrors(choice.key), currencies, dayOptions: options.dayOptions, timeZone: timeZoneLabel }
                      : undefined
                  }
                />
              ))}
              {group.kind === "action" ? (
                <TimeZoneField id={`${form.id}-timeZone`} optionsHtml={timeZoneOptions} selectedZone={form.initialValue("timeZone") as string | undefined} errors={form.allErrors.timeZone} />
              ) : null}
              {group.kind === "training" ? <TrainingUndo lang={lang} /> : null}
            </section>
          );
        })}
        <div className="form-actions">
          <button type="submit" className="button" disabled={navigation.state === "submitting"}>
            {t("preferences.save")}
          </button>
          <p className="muted">{t(pending.length > 0 ? "preferences.confirm.saveHint" : "preferences.saveHint")}</p>
        </div>
      </Form>

      <ChoiceHistory lang={lang} history={history} total={historyTotal} />
    </div>
  );
}
