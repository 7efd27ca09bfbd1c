import { Form } from "react-router";
import type { ChoiceKind } from "~/domain/vocabulary";
import { useTranslation } from "~/utils/i18n";
import { translateError } from "~/utils/form-messages";
import { ChoiceValues } from "./choice-values";
import { limitsInWords, type LimitsSummary } from "./limits-in-words";
import { ReaskNote, type Reask } from "./reask-note";

/**
 * One choice awaiting reconfirmation, in a form of its own (SPEC §3.2, GDPR Art. 7): what changed
 * (or that an "allow" ran out), the values with the current one selected, and one button that
 * confirms this choice — the only way an unchanged value is recorded again. Saving the page's
 * other choices never confirms it. Works without JavaScript and inside the embed.
 */
export function ReconfirmChoice({
  choice,
  lang,
  errors,
}: {
  choice: {
    key: string;
    kind: ChoiceKind;
    label: string;
    explanation: string;
    noticeVersion: number;
    value: string;
    reask: Reask | null;
    permissionExpired: boolean;
    allowedUntil: { iso: string; text: string } | null;
    limits: { summary: LimitsSummary | null } | null;
  };
  lang: string;
  /** The refused answer's messages (only for this choice). */
  errors?: string[];
}) {
  const { t } = useTranslation();
  const limits = choice.limits?.summary ? limitsInWords(choice.limits.summary, t) : [];
  const described = [`${choice.key}-explanation`, choice.reask ? `${choice.key}-change` : null, choice.permissionExpired ? `${choice.key}-expired` : null]
    .filter(Boolean)
    .join(" ");
  return (
    <Form method="post" id={`choice-${choice.key}`} className="choice choice--reconfirm stack-sm">
      <input type="hidden" name="intent" value="confirm" />
      <input type="hidden" name="choice" value={choice.key} />
      <input type="hidden" name="shown" value={choice.noticeVersion} />
      <fieldset aria-describedby={described}>
        <legend>{choice.label}</legend>
        <p id={`${choice.key}-explanation`} className="choice__explanation">{choice.explanation}</p>
        {choice.reask ? <ReaskNote id={`${choice.key}-change`} reask={choice.reask} lang={lang} /> : null}
        {choice.permissionExpired && choice.allowedUntil ? (
          <p id={`${choice.key}-expired`} className="choice__reconfirm">
            {t("preferences.limits.expiredChoice", { date: choice.allowedUntil.text })}
          </p>
        ) : null}
        <ChoiceValues name="value" kind={choice.kind} checked={choice.value} firstId={`confirm-${choice.key}-value`} hints />
        {limits.length > 0 ? <p className="muted">{t("preferences.confirm.limitsStay", { limits: limits.join(" · ") })}</p> : null}
      </fieldset>
      {errors?.length ? (
        <p className="field__error" role="alert">
          {errors.map((e) => translateError(t, e)).join(" ")}
        </p>
      ) : null}
      <div className="form-actions">
        <button type="submit" className="button">
          {t("preferences.confirm.button")}
          <span className="visually-hidden">{`: ${choice.label}`}</span>
        </button>
      </div>
    </Form>
  );
}
