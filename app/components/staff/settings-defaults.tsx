import { Form } from "react-router";
import { Notice } from "~/components/notice";
import { useTranslation } from "~/utils/i18n";

export interface DefaultChoiceView {
  key: string;
  label: string;
  defaultValue: string;
  values: string[];
}

/** The default of each choice for customers who never chose (SPEC §12 "default choices"). */
export function SettingsDefaultsForm({ choices, failed }: { choices: DefaultChoiceView[]; failed: boolean }) {
  const { t } = useTranslation();
  return (
    <section className="card stack" aria-labelledby="settings-defaults-title">
      <h2 id="settings-defaults-title">{t("settings:defaults.title")}</h2>
      <p className="muted">{t("settings:defaults.lead")}</p>
      {failed ? <Notice tone="error" title={t("settings:errors.defaults")} /> : null}
      <Form method="post" className="stack">
        <input type="hidden" name="intent" value="defaults" />
        {choices.map((c) => (
          <div className="field" key={c.key}>
            <label htmlFor={`default-${c.key}`}>{c.label}</label>
            <select id={`default-${c.key}`} name={`default_${c.key}`} defaultValue={c.defaultValue}>
              {c.values.map((v) => (
                <option key={v} value={v}>{t(`choiceValues.${v}`)}</option>
              ))}
            </select>
          </div>
        ))}
        <div className="form-actions">
          <button type="submit" className="button">{t("settings:defaults.submit")}</button>
        </div>
      </Form>
    </section>
  );
}
