import { useTranslation } from "~/utils/i18n";
import { CHOICE_VALUES, type ChoiceKind } from "~/domain/vocabulary";

/**
 * The values of one choice as radio buttons (allowed / ask me first / never, or yes / no). `hints`:
 * each value's plain explanation under it; off where the group explains the values once for all
 * its choices (ChoiceValuesExplained), which keeps the page short on a phone.
 */
export function ChoiceValues({
  name,
  kind,
  checked,
  firstId,
  hints,
}: {
  name: string;
  kind: ChoiceKind;
  checked: string;
  /** The first radio's id (the error summary links to it). */
  firstId?: string;
  hints: boolean;
}) {
  const { t } = useTranslation();
  return (
    <div className="segmented">
      {CHOICE_VALUES[kind].map((value, i) => (
        <label key={value} className="segmented__option">
          <input type="radio" id={i === 0 ? firstId : undefined} name={name} value={value} defaultChecked={checked === value} />
          <span>
            <span className="segmented__label">{t(`choiceValues.${value}`)}</span>
            {hints ? <span className="segmented__hint">{t(kind === "identity" ? `identity.hint.${value}` : `choiceHints.${kind}.${value}`)}</span> : null}
          </span>
        </label>
      ))}
    </div>
  );
}

/** What each value of a kind of choice means, once for a group of choices of that kind. */
export function ChoiceValuesExplained({ kind }: { kind: ChoiceKind }) {
  const { t } = useTranslation();
  return (
    <dl className="facts">
      {CHOICE_VALUES[kind].map((value) => (
        <div key={value}>
          <dt>{t(`choiceValues.${value}`)}</dt>
          <dd className="muted">{t(kind === "identity" ? `identity.hint.${value}` : `choiceHints.${kind}.${value}`)}</dd>
        </div>
      ))}
    </dl>
  );
}
