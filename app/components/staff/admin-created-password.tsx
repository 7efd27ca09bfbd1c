import { useTranslation } from "~/utils/i18n";
import { Notice } from "~/components/notice";

/** The generated password of a new account, shown this once (only its hash is stored). */
export function AdminCreatedPassword({ name, email, password }: { name: string; email: string; password: string }) {
  const { t } = useTranslation();
  return (
    <Notice tone="success" title={t("admin:users.createdTitle", { name })}>
      <p>{t("admin:users.createdBody", { email })}</p>
      <dl className="facts">
        <div>
          <dt>{t("admin:users.password")}</dt>
          <dd>
            <code className="tracking-url admin-password">{password}</code>
          </dd>
        </div>
      </dl>
    </Notice>
  );
}
