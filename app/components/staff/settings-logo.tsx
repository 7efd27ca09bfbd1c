import { Form } from "react-router";
import { Notice } from "~/components/notice";
import { useTranslation } from "~/utils/i18n";

/** Upload (PNG, JPEG or WebP, checked by its bytes on the server) and removal of the company logo. */
export function SettingsLogoForms({ logoPath, maxKb, error }: { logoPath: string | null; maxKb: number; error: string | null }) {
  const { t } = useTranslation();
  return (
    <section className="card stack" aria-labelledby="settings-logo-title">
      <h2 id="settings-logo-title">{t("settings:logo.title")}</h2>
      {error ? (
        <Notice tone="error" title={t("errors.formTitle")}>
          <p id="settings-logo-error">{t(`settings:errors.logo_${error}`, { max: maxKb })}</p>
        </Notice>
      ) : null}
      {logoPath ? (
        <div className="stack-sm">
          <p>{t("settings:logo.current")}</p>
          <img src={logoPath} alt={t("settings:logo.currentAlt")} height={48} />
          <Form method="post" className="inline-form">
            <input type="hidden" name="intent" value="removeLogo" />
            <button type="submit" className="button button--secondary">{t("settings:logo.remove")}</button>
          </Form>
        </div>
      ) : (
        <p className="muted">{t("settings:logo.none")}</p>
      )}
      <Form method="post" encType="multipart/form-data" className="stack">
        <input type="hidden" name="intent" value="logo" />
        <div className={`field${error ? " field--invalid" : ""}`}>
          <label htmlFor="settings-logo-file">{t("settings:logo.file")}</label>
          <p className="field__hint" id="settings-logo-hint">{t("settings:logo.hint", { max: maxKb })}</p>
          <input
            type="file"
            id="settings-logo-file"
            name="logo"
            accept="image/png,image/jpeg,image/webp"
            required
            aria-describedby={error ? "settings-logo-hint settings-logo-error" : "settings-logo-hint"}
            aria-invalid={error ? true : undefined}
          />
        </div>
        <div className="form-actions">
          <button type="submit" className="button">{t("settings:logo.upload")}</button>
        </div>
      </Form>
    </section>
  );
}
