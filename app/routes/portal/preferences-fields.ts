/**
 * What the "My choices" page shows in its form (SPEC §11.2 limits): the options, the field names,
 * and the conversions between stored limits and what the fields hold. Free of Zod, so the page's
 * JavaScript is too; the schema is in preferences-form.ts.
 */
import { LIMIT_MAX_AMOUNT_HUNDREDTHS, LOCAL_TIME_PATTERN, type ChoiceKind, type PermissionLimits } from "~/domain/vocabulary";
import type { LimitsFormValues } from "./preferences-limit-fields";

/** The currencies a maximum amount may be given in: the company's (EUR) first. */
export const LIMIT_CURRENCIES = ["EUR", "CHF", "GBP", "USD", "SEK", "NOK", "DKK", "PLN", "CZK", "HUF", "RON"] as const;
/** How long an "allowed" may last before it falls back to "ask me first" (days); "" = until changed. */
export const ALLOWED_FOR_DAYS_OPTIONS = [30, 90, 180, 365] as const;
export { LIMIT_FIELDS, type LimitField, type LimitsFormValues } from "./preferences-limit-fields";

/**
 * Whether an action kind offers a maximum amount: "offered" where its actions involve money;
 * "keep" where they do not but the customer set a cap before (it may stay or be removed, nothing
 * else); "no" otherwise.
 */
export type AmountOffer = { offer: "offered" | "no" } | { offer: "keep"; hundredths: number; currency: string };

export interface PreferencesFormOptions {
  /**
   * The choices of the form. `pending`: awaiting reconfirmation, confirmed in a form of its own, so
   * the main form need not post it (a value it does post is saved only if it differs).
   */
  choices: { key: string; kind: ChoiceKind; amount?: AmountOffer; pending?: boolean }[];
  timeZones: readonly string[];
  currencies: readonly string[];
  dayOptions: readonly number[];
  /** The largest amount, as the page's language writes it (for the "too large" message). */
  maxAmountText?: string;
}

const ARABIC_DIGITS = /[\u0660-\u0669\u06f0-\u06f9]/g;
/** Arabic-Indic and Eastern Arabic-Indic digits → 0–9, so a customer may type either. */
export const latinDigits = (value: string) => value.replace(ARABIC_DIGITS, (d) => String(d.charCodeAt(0) % 16));

/** Why a typed amount is not one: each with its own message, so the customer knows what to fix. */
export type AmountProblem = "negative" | "notNumber" | "tooManyDecimals" | "tooLarge";

const compactAmount = (raw: string) => latinDigits(raw).replace(/[\s\u00a0\u202f]/g, "").replace("\u066b", ".");

/**
 * A typed amount → hundredths, or why it is not an amount: digits with at most two decimals
 * after "." or "," (20, 19.99, 19,99; Arabic digits and "٫" too), spaces ignored, 0 … the
 * vocabulary's maximum. No thousands separators: "1.000" would be ambiguous (read as too many
 * decimals).
 */
export function readAmount(raw: string): { hundredths: number } | { problem: AmountProblem } {
  const compact = compactAmount(raw);
  if (/^[-\u2212]\s*\d/.test(compact)) return { problem: "negative" };
  const match = /^(\d+)(?:[.,](\d+))?$/.exec(compact);
  if (!match) return { problem: "notNumber" };
  if ((match[2] ?? "").length > 2) return { problem: "tooManyDecimals" };
  if (match[1]!.replace(/^0+(?=\d)/, "").length > 9) return { problem: "tooLarge" };
  const hundredths = Number(match[1]) * 100 + Number((match[2] ?? "").padEnd(2, "0"));
  return hundredths <= LIMIT_MAX_AMOUNT_HUNDREDTHS ? { hundredths } : { problem: "tooLarge" };
}

/** A typed amount → hundredths, or null when it is not an amount (see `readAmount`). */
export function parseAmount(raw: string): number | null {
  const read = readAmount(raw);
  return "hundredths" in read ? read.hundredths : null;
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
