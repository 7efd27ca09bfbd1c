import { isTimeZone } from "./calendar";
import { env } from "./env.server";
import { formatWithTypography } from "./date-typography";

/**
 * How a time is written: a date, a date and time, or a date and time naming its zone (for a
 * customer's own time zone, so nobody has to guess which one is meant).
 */
export type DateStyle = "date" | "dateTime" | "dateTimeZone";

const DATE_OPTIONS: Record<DateStyle, Intl.DateTimeFormatOptions> = {
  date: { dateStyle: "medium" },
  dateTime: { dateStyle: "medium", timeStyle: "short" },
  dateTimeZone: { year: "numeric", month: "short", day: "numeric", hour: "numeric", minute: "2-digit", timeZoneName: "short" },
};

/**
 * Intl formatters are costly to build (a page of 25 queue rows built 50), so each is made once per
 * locale, options and zone. Bounded: languages and zones are finite, but a cap keeps a caller
 * passing unchecked input from growing it without end.
 */
const FORMATTER_CACHE_MAX = 2000;
const formatters = new Map<string, Intl.DateTimeFormat | Intl.NumberFormat>();
function cached<T extends Intl.DateTimeFormat | Intl.NumberFormat>(key: string, make: () => T): T {
  let formatter = formatters.get(key) as T | undefined;
  if (!formatter) {
    if (formatters.size >= FORMATTER_CACHE_MAX) formatters.clear();
    formatter = make();
    formatters.set(key, formatter);
  }
  return formatter;
}
const numberFormat = (lang: string, options: Intl.NumberFormatOptions = {}) =>
  cached(`n|${lang}|${JSON.stringify(options)}`, () => new Intl.NumberFormat(lang, options));

/** The zone a customer's times are shown in: their own (customers.time_zone) when this server knows it, else the company's (DISPLAY_TIME_ZONE). */
export function displayTimeZone(timeZone?: string | null): string {
  return timeZone && isTimeZone(timeZone) ? timeZone : env().DISPLAY_TIME_ZONE;
}

/**
 * The one date and number formatter. Runs on the server only, with an explicit locale and
 * time zone, so the HTML does not depend on the browser's ICU (no hydration mismatches).
 * `timeZone`: an IANA zone (a customer's own); default and unknown zones → the company's.
 */
export function formatDate(ms: number, lang: string, style: DateStyle = "dateTime", timeZone?: string | null): string {
  const zone = displayTimeZone(timeZone);
  return formatWithTypography(cached(`d|${lang}|${style}|${zone}`, () => new Intl.DateTimeFormat(lang, { ...DATE_OPTIONS[style], timeZone: zone })), ms, lang);
}

/**
 * An amount in hundredths of `currency` (2050 = 20.50) as `lang` writes money ("20,50 €"); a code
 * Intl does not know, or no currency, gives the number with two decimals (and the code after it).
 */
export function formatMoney(hundredths: number, currency: string | null, lang: string): string {
  const plain = numberFormat(lang, { minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(hundredths / 100);
  if (!currency) return plain;
  try {
    return numberFormat(lang, { style: "currency", currency }).format(hundredths / 100);
  } catch {
    return `${plain} ${currency}`;
  }
}

const relativeFormats = new Map<string, Intl.RelativeTimeFormat>();
const RELATIVE_UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ["year", 365 * 24 * 3_600_000],
  ["month", 30 * 24 * 3_600_000],
  ["day", 24 * 3_600_000],
  ["hour", 3_600_000],
  ["minute", 60_000],
];

/**
 * How far `ms` is from `now` (both ms since epoch UTC), as `lang` says it: "in 23 hours",
 * "vor 2 Tagen", "za 5 godzin", "خلال ساعتين" (Intl.RelativeTimeFormat, numeric "always": never
 * "tomorrow" or "next month", which would need calendar days in a time zone), in the largest unit
 * of which at least one whole fits (years, months of 30 days, days, hours, minutes), rounded;
 * under a minute it is "in 0 minutes". For a deadline next to its date, never instead of it.
 */
export function formatRelativeTime(ms: number, now: number, lang: string): string {
  let format = relativeFormats.get(lang);
  if (!format) relativeFormats.set(lang, (format = new Intl.RelativeTimeFormat(lang, { numeric: "always" })));
  const diff = ms - now;
  const [unit, size] = RELATIVE_UNITS.find(([, size]) => Math.abs(diff) >= size) ?? ["minute", 60_000];
  return format.format(Math.round(diff / size), unit);
}

export function formatNumber(value: number, lang: string): string {
  return numberFormat(lang).format(value);
}

/** Machine-readable timestamp for <time dateTime>. */
export function isoDate(ms: number): string {
  return new Date(ms).toISOString();
}

/** A date and its display text, ready for <time>; `timeZone` as in `formatDate`. */
export function dateFor(ms: number, lang: string, style: DateStyle = "dateTime", timeZone?: string | null) {
  return { iso: isoDate(ms), text: formatDate(ms, lang, style, timeZone) };
}
