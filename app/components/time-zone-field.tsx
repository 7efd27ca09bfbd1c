import { useTranslation } from "~/utils/i18n";
import { describedBy, Field } from "./field";

/** The options' HTML with `zone` selected instead of the one the server marked. */
function selecting(optionsHtml: string, zone: string | undefined): string {
  if (!zone || optionsHtml.includes(`<option value="${zone}" selected="">`)) return optionsHtml;
  const option = `<option value="${zone}">`;
  return optionsHtml.includes(option) ? optionsHtml.replace(' selected=""', "").replace(option, `<option value="${zone}" selected="">`) : optionsHtml;
}

/**
 * The customer's time zone (quiet hours follow it): zones grouped by region, labelled and rendered
 * on the server (preferences-time-zones.server.ts) as one HTML string; `selectedZone`: a zone
 * posted before an error, shown instead of the stored one.
 */
export function TimeZoneField({ id, optionsHtml, selectedZone, errors }: { id: string; optionsHtml: string; selectedZone?: string; errors?: string[] }) {
  const { t } = useTranslation();
  return (
    <Field id={id} label={t("preferences.limits.timeZone")} hint={t("preferences.limits.timeZoneHint")} errors={errors}>
      <select
        id={id}
        name="timeZone"
        aria-invalid={errors?.length ? true : undefined}
        aria-describedby={describedBy(id, { hint: true, errors })}
        dangerouslySetInnerHTML={{ __html: selecting(optionsHtml, selectedZone) }}
      />
    </Field>
  );
}
