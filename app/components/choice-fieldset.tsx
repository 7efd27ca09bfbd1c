import type { ChoiceKind } from "~/domain/vocabulary";
import type { LimitField, LimitsFormValues } from "~/routes/portal/preferences-fields";
import { useTranslation } from "~/utils/i18n";
import { ChoiceLimits } from "./choice-limits";
import { ChoiceValues } from "./choice-values";
import type { LimitsSummary } from "./limits-in-words";
import { Time } from "./time";

/** One choice as the page's loader sends it (portal and embed "My choices"). */
export interface ShownChoice {
  key: string;
  kind: ChoiceKind;
  label: string;
  explanation: string;
  fallback: boolean;
  noticeVersion: number;
  value: string;
  isDefault: boolean;
  method: string | null;
  needsReconfirmation: boolean;
  gpcApplied: boolean;
  updatedAt: { iso: string; text: string } | null;
  permissionExpired: boolean;
  allowedUntil: { iso: string; text: string } | null;
  limits: { values: LimitsFormValues; summary: LimitsSummary | null; amountOffered: boolean } | null;
}

/**
 * One choice in the main form of "My choices": its explanation, its values, who set it and when,
 * and (action kinds) its limits. A choice awaiting reconfirmation is not in this form: it shows
 * where to confirm it (ReconfirmChoice), so saving other choices never re-records it.
 */
export function ChoiceFieldset({
  choice,
  formId,
  checked,
  hints,
  limits,
}: {
  choice: ShownChoice;
  formId: string;
  /** The value selected: the stored one, or the one posted before an error. */
  checked: string;
  hints: boolean;
  limits?: {
    values: LimitsFormValues;
    errors: Partial<Record<LimitField, string[]>>;
    currencies: { code: string; name: string }[];
    dayOptions: readonly number[];
    timeZone: string;
  };
}) {
  const { t } = useTranslation();
  if (choice.needsReconfirmation) {
    return (
      <div className="choice choice--reconfirm" id={`pending-${choice.key}`}>
        <p className="choice__label"><strong>{choice.label}</strong></p>
        <p className="choice__reconfirm">
          {t("preferences.confirm.pendingHere", { value: t(`choiceValues.${choice.value}`) })}{" "}
          <a href={`#choice-${choice.key}`}>{t("preferences.confirm.goTo")}</a>
        </p>
      </div>
    );
  }
  return (
    <fieldset id={`choice-${choice.key}`} className="choice" aria-describedby={`${choice.key}-explanation`}>
      <legend>{choice.label}</legend>
      <p id={`${choice.key}-explanation`} className="choice__explanation">
        {choice.explanation}
        {choice.fallback ? <span className="fallback-note"> {t("register.shownInEnglish")}</span> : null}
      </p>
      <ChoiceValues name={choice.key} kind={choice.kind} checked={checked} firstId={`${formId}-${choice.key}`} hints={hints} />
      <p className="muted choice__status">
        {choice.isDefault
          ? t(choice.gpcApplied ? "preferences.gpcDefault" : "preferences.isDefault")
          : choice.updatedAt
            ? <>{t(`preferences.setBy.${choice.method ?? "portal"}`)} <Time value={choice.updatedAt} /></>
            : null}
        {choice.value === "allow" && choice.allowedUntil ? <> {t("preferences.limits.allowedUntil", { date: choice.allowedUntil.text })}</> : null}
      </p>
      {choice.limits && limits ? (
        <ChoiceLimits
          formId={formId}
          choiceKey={choice.key}
          values={limits.values}
          errors={limits.errors}
          summary={choice.limits.summary}
          currencies={limits.currencies}
          dayOptions={limits.dayOptions}
          timeZone={limits.timeZone}
          amountOffered={choice.limits.amountOffered}
        />
      ) : null}
    </fieldset>
  );
}
