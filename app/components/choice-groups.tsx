import type { ChoiceKind } from "~/domain/vocabulary";
import { LIMIT_FIELDS, type LimitField, type LimitsFormValues } from "~/routes/portal/preferences-limit-fields";
import { useTranslation } from "~/utils/i18n";
import { ChoiceFieldset, type ShownChoice } from "./choice-fieldset";
import { ChoiceValuesExplained } from "./choice-values";
import { TimeZoneField } from "./time-zone-field";
import { TrainingUndo } from "./training-undo";

/** What the customer posted before a refused save (Conform's `initialValue`): the fields show it again. */
export type PostedChoices = { limits?: Record<string, Partial<Record<LimitField, unknown>>>; timeZone?: unknown } & Record<string, unknown>;

/** A kind's limits as the fields show them: what was typed before an error, else the stored limits. */
function limitValues(posted: Partial<Record<LimitField, unknown>> | undefined, stored: LimitsFormValues): LimitsFormValues {
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
}

/**
 * The choices of the main form of "My choices", grouped by kind (actions with their limits and the
 * time zone, identity, training with what "No" can undo, a human first), as the loader sends them
 * (SPEC §11.2). `posted`/`errors`: the refused save's values and messages by field name.
 */
export function ChoiceGroups({
  choices,
  formId,
  lang,
  posted,
  errors,
  currencies,
  dayOptions,
  timeZone,
  timeZoneLabel,
}: {
  choices: ShownChoice[];
  formId: string;
  lang: string;
  posted: PostedChoices | null;
  errors: Record<string, string[]>;
  currencies: { code: string; name: string }[];
  dayOptions: readonly number[];
  /** The stored zone and its label. */
  timeZone: string;
  timeZoneLabel: string;
}) {
  const { t } = useTranslation();
  const groups: { kind: ChoiceKind; title: string; intro: string }[] = [
    { kind: "action", title: t("preferences.actionsTitle"), intro: t("preferences.actionsIntro") },
    { kind: "identity", title: t("identity.title"), intro: t("identity.intro") },
    { kind: "training", title: t("preferences.trainingTitle"), intro: t("preferences.trainingIntro") },
    { kind: "human_first", title: t("preferences.humanTitle"), intro: t("preferences.humanIntro") },
  ];
  const limitErrors = (key: string) => Object.fromEntries(LIMIT_FIELDS.map((field) => [field, errors[`limits.${key}.${field}`]])) as Partial<Record<LimitField, string[]>>;
  return (
    <>
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
                formId={formId}
                checked={typeof posted?.[choice.key] === "string" ? (posted[choice.key] as string) : choice.value}
                hints={!explainedOnce}
                limits={
                  choice.limits
                    ? { values: limitValues(posted?.limits?.[choice.key], choice.limits.values), errors: limitErrors(choice.key), currencies, dayOptions, timeZone: timeZoneLabel }
                    : undefined
                }
              />
            ))}
            {group.kind === "action" ? (
              <TimeZoneField
                id={`${formId}-timeZone`}
                lang={lang}
                zone={timeZone}
                zoneLabel={timeZoneLabel}
                selectedZone={typeof posted?.timeZone === "string" ? posted.timeZone : undefined}
                errors={errors.timeZone}
              />
            ) : null}
            {group.kind === "training" ? <TrainingUndo lang={lang} /> : null}
          </section>
        );
      })}
    </>
  );
}
