import { useEffect, useRef, useState } from "react";
import { useLocation } from "react-router";
import { useTranslation, type Translate } from "~/utils/i18n";
import { describedBy, Field } from "./field";

/** The region names the list needs beyond `Intl`'s, as the page's translator gives them. */
export type RegionName = (key: "atlantic" | "indian" | "arctic" | "other") => string;

/**
 * The whole list's `<option>`s as HTML for `lang`, `selected` marked, the customer's stored `zone`
 * included even where this server does not know it. Provided by the server only
 * (preferences-time-zones.server.ts), so 400-odd options reach the page once, in its HTML, and
 * never in its loader data (the browser keeps what the server rendered; see TimeZoneField).
 */
export type TimeZoneOptionsRenderer = (lang: string, zone: string, selected: string, regionName: RegionName) => string;

let renderOnServer: TimeZoneOptionsRenderer | undefined;

/** Called once by the server's module (never in the browser): how the list is rendered. */
export function provideTimeZoneOptions(render: TimeZoneOptionsRenderer): void {
  renderOnServer = render;
}

const escapeHtml = (text: string) => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

/**
 * The customer's time zone (quiet hours follow it): zones grouped by region, labelled and rendered
 * on the server as one HTML string. `zone`: the stored zone (`zoneLabel` its label); `selectedZone`:
 * a zone posted before an error, shown instead.
 *
 * In the browser the select keeps the options the server rendered: React leaves an element's
 * `dangerouslySetInnerHTML` as it found it while hydrating, and never rewrites it while the string
 * stays the same (it is kept in state). Rendered in the browser first (a client-side navigation),
 * the select shows the stored zone alone until the page's loader answers the whole list
 * (`?timeZones`), fetched at once.
 */
export function TimeZoneField({
  id,
  lang,
  zone,
  zoneLabel,
  selectedZone,
  errors,
}: {
  id: string;
  lang: string;
  zone: string;
  zoneLabel: string;
  selectedZone?: string;
  errors?: string[];
}) {
  const { t } = useTranslation();
  const [optionsHtml, setOptionsHtml] = useState(() =>
    renderOnServer ? renderOnServer(lang, zone, selectedZone ?? zone, regionNames(t)) : `<option value="${escapeHtml(zone)}" selected="">${escapeHtml(zoneLabel)}</option>`,
  );
  const select = useRef<HTMLSelectElement>(null);
  // The search too: inside an embed frame without cookies it carries the session handle.
  const { pathname, search } = useLocation();
  useEffect(() => {
    // Hydrated: the server's whole list is there. Rendered here first: take it from the page as the server renders it.
    if (!select.current || select.current.options.length > 1) return;
    let current = true;
    fetch(pathname + search)
      .then((response) => (response.ok ? response.text() : ""))
      .then((page) => {
        const options = new DOMParser().parseFromString(page, "text/html").querySelector('select[name="timeZone"]')?.innerHTML;
        if (current && options && select.current) setOptionsHtml(withSelected(options, select.current.value || zone));
      })
      // Offline: the stored zone stays the one offered; the next visit brings the list.
      .catch(() => undefined);
    return () => {
      current = false;
    };
  }, [pathname, search, zone]);
  return (
    <Field id={id} label={t("preferences.limits.timeZone")} hint={t("preferences.limits.timeZoneHint")} errors={errors}>
      <select
        ref={select}
        id={id}
        name="timeZone"
        aria-invalid={errors?.length ? true : undefined}
        aria-describedby={describedBy(id, { hint: true, errors })}
        // The server's options stay: the first client render's string differs from the server's on purpose.
        suppressHydrationWarning
        dangerouslySetInnerHTML={{ __html: optionsHtml }}
      />
    </Field>
  );
}

const regionNames =
  (t: Translate): RegionName =>
  (key) =>
    t(`preferences.timeZones.${key}`);

/** The options' HTML with `zone` selected instead of the one the server marked. */
function withSelected(optionsHtml: string, zone: string): string {
  const option = `<option value="${escapeHtml(zone)}">`;
  return optionsHtml.includes(option) ? optionsHtml.replace(' selected=""', "").replace(option, `<option value="${escapeHtml(zone)}" selected="">`) : optionsHtml;
}
