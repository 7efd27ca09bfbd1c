import type { ReactNode } from "react";
import { useTranslation } from "~/utils/i18n";
import { translateError } from "~/utils/form-messages";

/** Label, hint, control and translated errors for one form field (the one form-field pattern). */
export function Field({
  id,
  label,
  hint,
  errors,
  children,
}: {
  id: string;
  label: ReactNode;
  hint?: ReactNode;
  errors?: string[];
  children: ReactNode;
}) {
  const { t } = useTranslation();
  return (
    <div className={`field${errors?.length ? " field--invalid" : ""}`}>
      <label htmlFor={id}>{label}</label>
      {hint ? (
        <p className="field__hint" id={`${id}-hint`}>
          {hint}
        </p>
      ) : null}
      {children}
      <FieldErrors id={`${id}-error`} errors={errors} t={t} />
    </div>
  );
}

export function FieldErrors({ id, errors, t }: { id: string; errors?: string[]; t: ReturnType<typeof useTranslation>["t"] }) {
  if (!errors?.length) return null;
  return (
    <p className="field__error" id={id}>
      {errors.map((e) => translateError(t, e)).join(" ")}
    </p>
  );
}

/** aria-describedby for a control with optional hint and error. */
export function describedBy(id: string, { hint, errors }: { hint?: boolean; errors?: string[] }) {
  return [hint ? `${id}-hint` : null, errors?.length ? `${id}-error` : null].filter(Boolean).join(" ") || undefined;
}
