import { useTranslation } from "react-i18next";
import { FieldErrors } from "./field";
import { Notice } from "./notice";

/**
 * The one error summary above a form: the form-level errors when there are any, else a pointer
 * to the fields that need attention (what was typed is kept).
 */
export function FormErrorSummary({ form }: { form: { errors?: string[]; errorId: string; allErrors: Record<string, string[]> } }) {
  const { t } = useTranslation();
  if (form.errors?.length) {
    return (
      <Notice tone="error" title={t("errors.formTitle")}>
        <FieldErrors id={form.errorId} errors={form.errors} t={t} />
      </Notice>
    );
  }
  if (Object.keys(form.allErrors).length === 0) return null;
  return (
    <Notice tone="error" title={t("errors.formTitle")}>
      <p>{t("errors.formBody")}</p>
    </Notice>
  );
}
