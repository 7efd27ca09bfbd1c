import { useCallback } from "react";
import { Form, useNavigation } from "react-router";
import { ChoiceGroups, type PostedChoices } from "~/components/choice-groups";
import type { ShownChoice } from "~/components/choice-fieldset";
import { FormErrorSummary } from "~/components/form-error-summary";
import { useTranslation } from "~/utils/i18n";
import { useLightForm, type FormResult } from "~/utils/light-form";
import type { PreferencesFormOptions } from "./preferences-fields";
import { LIMIT_FIELDS, type LimitField } from "./preferences-limit-fields";

/**
 * The main form of "My choices" (portal and embed): every choice not awaiting reconfirmation, the
 * limits of action kinds and the time zone, with its error summary; it saves what changed. Checked
 * in the browser with the action's own schema once the customer starts filling it in
 * (preferences-validate.ts); `result`: the action's answer to a refused save.
 */
export function ChoicesForm({
  choices,
  lang,
  options,
  result,
  currencies,
  timeZone,
  timeZoneLabel,
  pendingCount,
}: {
  choices: ShownChoice[];
  lang: string;
  options: PreferencesFormOptions;
  result: FormResult | null;
  currencies: { code: string; name: string }[];
  timeZone: string;
  timeZoneLabel: string;
  /** Choices awaiting reconfirmation (confirmed in their own forms, never by this one). */
  pendingCount: number;
}) {
  const { t } = useTranslation();
  const navigation = useNavigation();
  // Zod and Conform's parser load at the first focus in the form; the action checks every post.
  const loadValidator = useCallback(() => import("./preferences-validate").then((m) => m.preferencesValidator(options)), [options]);
  const form = useLightForm({ lastResult: result, loadValidator, messages: ["common:errors.", "common:preferences.limits.errors."] });
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
  return (
    <>
      <FormErrorSummary form={form} labels={summaryLabels} />
      <Form method="post" {...form.props} className="stack-lg">
        <input type="hidden" name="shown" value={choices.map((c) => `${c.key}:${c.noticeVersion}`).join(",")} />
        <ChoiceGroups
          choices={choices}
          formId={form.id}
          lang={lang}
          posted={(result?.initialValue ?? null) as PostedChoices | null}
          errors={form.allErrors}
          currencies={currencies}
          dayOptions={options.dayOptions}
          timeZone={timeZone}
          timeZoneLabel={timeZoneLabel}
        />
        <div className="form-actions">
          <button type="submit" className="button" disabled={navigation.state === "submitting"}>
            {t("preferences.save")}
          </button>
          <p className="muted">{t(pendingCount > 0 ? "preferences.confirm.saveHint" : "preferences.saveHint")}</p>
        </div>
      </Form>
    </>
  );
}
