import { useTranslation } from "~/utils/i18n";
import { Notice } from "~/components/notice";

export type AdminVerification =
  | { ok: true; entries: number; entriesText: string; head: string }
  | { ok: false; entries: number; entriesText: string; problem: "edited" | "deleted" | "reordered" | "truncated"; atId: number | null };

/** The outcome of "Verify the chain", in words. */
export function AdminVerifyResult({ result }: { result: AdminVerification }) {
  const { t } = useTranslation();
  if (result.ok) {
    return (
      <Notice tone="success" title={t("admin:audit.verifyOk")}>
        <p className="admin-hash">{t("admin:audit.verifyOkBody", { count: result.entries, entries: result.entriesText, head: result.head })}</p>
      </Notice>
    );
  }
  return (
    <Notice tone="error" title={t("admin:audit.verifyFailed")}>
      <p>{t(`admin:audit.problems.${result.problem}`, { id: result.atId ?? "" })}</p>
      <p>{t("admin:audit.verifyChecked", { count: result.entries, entries: result.entriesText })}</p>
    </Notice>
  );
}
