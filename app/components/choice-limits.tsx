import { useTranslation } from "~/utils/i18n";
import { CHANNELS } from "~/domain/vocabulary";
import type { LimitField, LimitsFormValues } from "~/routes/portal/preferences-fields";
import { describedBy, FieldErrors } from "./field";
import { limitsInWords, type LimitsSummary } from "./limits-in-words";

export { limitsInWords, type LimitsSummary } from "./limits-in-words";

/**
 * "Set limits" under one action kind's allowed / ask / never control (SPEC §11.2): maximum
 * amount (only where the kind's actions involve money, or to remove a cap set before), channels,
 * quiet hours and how long "allowed" lasts, each with what it does. A plain
 * `<details>` (works without JavaScript): closed unless a field has an error; its summary names
 * the limits that are set.
 * Field names `limits.<choice>.<field>`; ids `<form id>-limits.<choice>.<field>` (the error
 * summary links to them).
 */
export function ChoiceLimits({
  formId,
  choiceKey,
  values,
  errors,
  summary,
  currencies,
  dayOptions,
  timeZone,
  amountOffered,
}: {
  formId: string;
  choiceKey: string;
  /** What the fields show: the stored limits, or what the customer typed before an error. */
  values: LimitsFormValues;
  errors: Partial<Record<LimitField, string[]>>;
  summary: LimitsSummary | null;
  currencies: { code: string; name: string }[];
  dayOptions: readonly number[];
  /** The zone's name as the page shows it (quiet hours are read in it). */
  timeZone: string;
  /** Whether the maximum amount is offered for this kind. */
  amountOffered: boolean;
}) {
  const { t } = useTranslation();
  const name = (field: LimitField) => `limits.${choiceKey}.${field}`;
  const id = (field: LimitField) => `${formId}-${name(field)}`;
  const hasErrors = Object.values(errors).some((e) => e?.length);
  const invalid = (field: LimitField) => (errors[field]?.length ? true : undefined);
  const described = (field: LimitField, hint: string | null) =>
    [hint, describedBy(id(field), { errors: errors[field] })].filter(Boolean).join(" ") || undefined;
  const parts = summary ? limitsInWords(summary, t) : [];
  return (
    // Closed unless a field has an error: the summary already says in words which limits are set,
    // and on a phone the open fields of every limited kind made the page several screens longer.
    <details className="choice-limits" open={hasErrors || undefined}>
      <summary>
        {t("preferences.limits.summary")}
        {parts.length > 0 ? <span className="muted">{` — ${parts.join(" · ")}`}</span> : null}
      </summary>
      <div className="stack">
        <p className="field__hint">{t("preferences.limits.intro")}</p>

        {amountOffered ? (
        <fieldset className="stack-sm" aria-describedby={`${id("amount")}-about`}>
          <legend>{t("preferences.limits.maxAmount")}</legend>
          <p className="field__hint" id={`${id("amount")}-about`}>{t("preferences.limits.maxAmountHint")}</p>
          <div className="grid-3">
            <div className="field">
              <label htmlFor={id("amount")}>{t("preferences.limits.amount")}</label>
              <input
                id={id("amount")}
                name={name("amount")}
                type="text"
                inputMode="decimal"
                autoComplete="off"
                maxLength={20}
                defaultValue={values.amount}
                aria-invalid={invalid("amount")}
                aria-describedby={described("amount", null)}
              />
              <FieldErrors id={`${id("amount")}-error`} errors={errors.amount} t={t} />
            </div>
            <div className="field">
              <label htmlFor={id("currency")}>{t("preferences.limits.currency")}</label>
              <select id={id("currency")} name={name("currency")} defaultValue={values.currency} aria-invalid={invalid("currency")} aria-describedby={described("currency", null)}>
                {currencies.map((c) => (
                  <option key={c.code} value={c.code}>
                    {c.code === c.name ? c.code : `${c.code} — ${c.name}`}
                  </option>
                ))}
              </select>
              <FieldErrors id={`${id("currency")}-error`} errors={errors.currency} t={t} />
            </div>
          </div>
        </fieldset>
        ) : null}

        <fieldset className="stack-sm" aria-describedby={described("channels", `${id("channels")}-about`)}>
          <legend>{t("preferences.limits.channels")}</legend>
          <p className="field__hint" id={`${id("channels")}-about`}>{t("preferences.limits.channelsHint")}</p>
          <div className="grid-3">
            {CHANNELS.map((channel, i) => (
              <label key={channel} className="radio">
                <input
                  type="checkbox"
                  id={i === 0 ? id("channels") : undefined}
                  name={name("channels")}
                  value={channel}
                  defaultChecked={values.channels.includes(channel)}
                />
                <span className="radio__label">{t(`channels.${channel}`)}</span>
              </label>
            ))}
          </div>
          <FieldErrors id={`${id("channels")}-error`} errors={errors.channels} t={t} />
        </fieldset>

        <fieldset className="stack-sm" aria-describedby={`${id("quietFrom")}-about`}>
          <legend>{t("preferences.limits.quietHours")}</legend>
          <p className="field__hint" id={`${id("quietFrom")}-about`}>{t("preferences.limits.quietHoursHint", { timeZone })}</p>
          <div className="grid-3">
            {(["quietFrom", "quietTo"] as const).map((field) => (
              <div className="field" key={field}>
                <label htmlFor={id(field)}>{t(`preferences.limits.${field}`)}</label>
                <input
                  id={id(field)}
                  name={name(field)}
                  type="time"
                  defaultValue={values[field]}
                  aria-invalid={invalid(field)}
                  aria-describedby={described(field, null)}
                />
                <FieldErrors id={`${id(field)}-error`} errors={errors[field]} t={t} />
              </div>
            ))}
          </div>
        </fieldset>

        <div className="field">
          <label htmlFor={id("days")}>{t("preferences.limits.allowedFor")}</label>
          <p className="field__hint" id={`${id("days")}-hint`}>{t("preferences.limits.allowedForHint")}</p>
          <select id={id("days")} name={name("days")} defaultValue={values.days} aria-invalid={invalid("days")} aria-describedby={described("days", `${id("days")}-hint`)}>
            <option value="">{t("preferences.limits.untilChanged")}</option>
            {dayOptions.map((days) => (
              <option key={days} value={String(days)}>
                {t("preferences.limits.days", { count: days })}
              </option>
            ))}
          </select>
          <FieldErrors id={`${id("days")}-error`} errors={errors.days} t={t} />
        </div>
      </div>
    </details>
  );
}
