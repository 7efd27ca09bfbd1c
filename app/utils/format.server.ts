import { env } from "./env.server";

/**
 * The one date and number formatter. Runs on the server only, with an explicit locale and
 * time zone, so the HTML does not depend on the browser's ICU (no hydration mismatches).
 */
export function formatDate(ms: number, lang: string, style: "date" | "dateTime" = "dateTime"): string {
  return new Intl.DateTimeFormat(lang, {
    dateStyle: "medium",
    ...(style === "dateTime" ? { timeStyle: "short" } : {}),
    timeZone: env().DISPLAY_TIME_ZONE,
  }).format(ms);
}

export function formatNumber(value: number, lang: string): string {
  return new Intl.NumberFormat(lang).format(value);
}

/** Machine-readable timestamp for <time dateTime>. */
export function isoDate(ms: number): string {
  return new Date(ms).toISOString();
}

/** A date and its display text, ready for <time>. */
export function dateFor(ms: number, lang: string, style: "date" | "dateTime" = "dateTime") {
  return { iso: isoDate(ms), text: formatDate(ms, lang, style) };
}
