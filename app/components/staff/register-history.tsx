import { useTranslation } from "~/utils/i18n";
import { Time } from "~/components/time";

export interface RegisterVersionView {
  version: number;
  material: boolean;
  createdAt: { iso: string; text: string };
  note: string;
  /** The note's language when it is not the page's (shown in English). */
  noteLang: string | null;
}

/** Every version of a system with its change note, newest first. */
export function RegisterHistory({ versions }: { versions: RegisterVersionView[] }) {
  const { t } = useTranslation();
  return (
    <ol className="timeline">
      {versions.map((v) => (
        <li key={v.version} className="stack-sm">
          <p>
            <strong>{t("register.version", { version: v.version })}</strong> · <Time value={v.createdAt} />
            {v.material ? <> · <span className="pill pill--warning">{t("register.material")}</span></> : null}
          </p>
          {v.note ? <p className="user-text" lang={v.noteLang ?? undefined}>{v.note}</p> : null}
        </li>
      ))}
    </ol>
  );
}
