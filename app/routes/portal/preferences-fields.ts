/**
 * What the "My choices" page shows in its form (SPEC §11.2 limits): the options, the field names,
 * and the conversions between stored limits and what the fields hold. Free of Zod, so the page's
 * JavaScript is too; the schema is in preferences-form.ts.
 */
import { LIMIT_MAX_AMOUNT_HUNDREDTHS, LOCAL_TIME_PATTERN, type ChoiceKind, type PermissionLimits } from "~/domain/vocabulary";

/** The currencies a maximum amount may be given in: the company's (EUR) first. */
export const LIMIT_CURRENCIES = ["EUR", "CHF", "GBP", "USD", "SEK", "NOK", "DKK", "PLN", "CZK", "HUF", "RON"] as const;
/** How long an "allowed" may last before it falls back to "ask me first" (days); "" = until changed. */
export const ALLOWED_FOR_DAYS_OPTIONS = [30, 90, 180, 365] as const;
export const LIMIT_FIELDS = ["amount", "currency", "channels", "quietFrom", "quietTo", "days"] as const;
export type LimitField = (typeof LIMIT_FIELDS)[number];
/** A choice's limits as the form shows them (strings, as typed). */
export type LimitsFormValues = { amount: string; currency: string; channels: string[]; quietFrom: string; quietTo: string; days: string };

export interface PreferencesFormOptions {
  choices: { key: string; kind: ChoiceKind }[];
  timeZones: readonly string[];
  currencies: readonly string[];
  dayOptions: readonly number[];
}

const ARABIC_DIGITS = /[\u0660-\u0669\u06f0-\u06f9]/g;
/** Arabic-Indic and Eastern Arabic-Indic digits → 0–9, so a customer may type either. */
export const latinDigits = (value: string) => value.replace(ARABIC_DIGITS, (d) => String(d.charCodeAt(0) % 16));

/**
 * A typed amount → hundredths, or null when it is not an amount: digits with at most two
 * decimals after "." or "," (20, 19.99, 19,99; Arabic digits and "٫" too), spaces ignored,
 * 0 … the vocabulary's maximum. No thousands separators: "1.000" would be ambiguous.
 */
export function parseAmount(raw: string): number | null {
  const compact = latinDigits(raw).replace(/[\s\u00a0\u202f]/g, "").replace("\u066b", ".");
  const match = /^(\d{1,9})(?:[.,](\d{1,2}))?$/.exec(compact);
  if (!match) return null;
  const hundredths = Number(match[1]) * 100 + Number((match[2] ?? "").padEnd(2, "0"));
  return hundredths <= LIMIT_MAX_AMOUNT_HUNDREDTHS ? hundredths : null;
}

/** Hundredths → the text the amount field shows ("20", "19.99"; "19,99" where "," is the decimal sign). */
export function amountText(hundredths: number, decimalComma: boolean): string {
  const whole = Math.floor(hundredths / 100);
  const cents = hundredths % 100;
  const text = cents === 0 ? String(whole) : `${whole}.${String(cents).padStart(2, "0")}`;
  return decimalComma ? text.replace(".", ",") : text;
}

/** `<input type="time">` sends "HH:MM" (or "HH:MM:SS" with seconds) → "HH:MM", or null. */
export function parseLocalTime(raw: string): string | null {
  const time = latinDigits(raw.trim());
  const hhmm = /^\d\d:\d\d(:\d\d(\.\d{1,3})?)?$/.test(time) ? time.slice(0, 5) : "";
  return LOCAL_TIME_PATTERN.test(hhmm) ? hhmm : null;
}

/** A choice's stored limits as the form shows them. */
export function limitsFormValues(limits: PermissionLimits | null, decimalComma: boolean, defaultCurrency: string): LimitsFormValues {
  return {
    amount: limits?.maxAmount ? amountText(limits.maxAmount.hundredths, decimalComma) : "",
    currency: limits?.maxAmount?.currency ?? defaultCurrency,
    channels: limits?.channels ? [...limits.channels] : [],
    quietFrom: limits?.quietHours?.from ?? "",
    quietTo: limits?.quietHours?.to ?? "",
    days: limits?.allowedForDays !== undefined ? String(limits.allowedForDays) : "",
  };
}
