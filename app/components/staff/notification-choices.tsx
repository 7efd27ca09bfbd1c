import { useTranslation } from "~/utils/i18n";

/** The checkboxes of the notification choices: one per kind the person's role may receive, with what it is about. */
export function NotificationChoiceList({ choices, name, firstId, formKey }: { choices: { kind: string; checked: boolean }[]; name: string; firstId: string; formKey?: string }) {
  const { t } = useTranslation();
  return (
    <div className="radio-list">
      {choices.map((choice, i) => (
        <label key={`${formKey ?? ""}-${choice.kind}`} className="radio">
          <input type="checkbox" id={i === 0 ? firstId : undefined} name={name} value={choice.kind} defaultChecked={choice.checked} />
          <span>
            <span className="radio__label">{t(`notifications:kinds.${choice.kind}.label`)}</span>
            <span className="radio__hint">{t(`notifications:kinds.${choice.kind}.hint`)}</span>
          </span>
        </label>
      ))}
    </div>
  );
}
