/**
 * The one schema of the "My choices" form (client and server), with the limits of each action
 * kind (SPEC §11.2) as the page posts them: `limits.<choice>.amount|currency|channels|quietFrom|
 * quietTo|days` and one `timeZone`. Built from what the loader sent (choices, time zones,
 * currencies, expiry options), so both sides accept exactly what the page offered.
 */
import { z } from "zod";
import { CHANNELS, CHOICE_VALUES, type Channel, type PermissionLimits } from "~/domain/vocabulary";
import { msg } from "~/utils/form-messages";
import { parseAmount, parseLocalTime, type LimitField, type PreferencesFormOptions } from "./preferences-fields";

export {
  ALLOWED_FOR_DAYS_OPTIONS,
  amountText,
  LIMIT_CURRENCIES,
  LIMIT_FIELDS,
  limitsFormValues,
  parseAmount,
  parseLocalTime,
  type LimitField,
  type LimitsFormValues,
  type PreferencesFormOptions,
} from "./preferences-fields";

const limitError = (name: "amount" | "time" | "quietBoth" | "quietSame") => msg(`common:preferences.limits.errors.${name}`);

const blank = (value: unknown) => value === undefined || value === null || (typeof value === "string" && value.trim() === "");

/** One action kind's limit fields → PermissionLimits (null: none set); errors per field. */
function limitsGroup(options: PreferencesFormOptions) {
  // Every field is read here rather than typed per field, so all of a group's errors come at once.
  return z
    .object({
      amount: z.unknown().optional(),
      currency: z.unknown().optional(),
      channels: z.unknown().optional(),
      quietFrom: z.unknown().optional(),
      quietTo: z.unknown().optional(),
      days: z.unknown().optional(),
    })
    .superRefine((group, ctx) => {
      const fail = (path: LimitField, message: string) => ctx.addIssue({ code: "custom", path: [path], message });
      const { amount, currency, channels, quietFrom, quietTo, days } = group;
      if (!blank(amount)) {
        if (typeof amount !== "string" || parseAmount(amount) === null) fail("amount", limitError("amount"));
        if (typeof currency !== "string" || !options.currencies.includes(currency)) fail("currency", msg("chooseOne"));
      }
      if (!blank(channels)) {
        const list = Array.isArray(channels) ? channels : [channels];
        if (list.length > CHANNELS.length || list.some((c) => !(CHANNELS as readonly unknown[]).includes(c))) fail("channels", msg("invalid"));
      }
      const from = blank(quietFrom) ? undefined : typeof quietFrom === "string" ? parseLocalTime(quietFrom) : null;
      const to = blank(quietTo) ? undefined : typeof quietTo === "string" ? parseLocalTime(quietTo) : null;
      if (from === null) fail("quietFrom", limitError("time"));
      if (to === null) fail("quietTo", limitError("time"));
      if (from && to === undefined) fail("quietTo", limitError("quietBoth"));
      if (to && from === undefined) fail("quietFrom", limitError("quietBoth"));
      if (from && to && from === to) fail("quietTo", limitError("quietSame"));
      if (!blank(days) && !options.dayOptions.map(String).includes(String(days))) fail("days", msg("chooseOne"));
    })
    .transform((group): PermissionLimits | null => {
      const limits: PermissionLimits = {};
      if (!blank(group.amount)) limits.maxAmount = { hundredths: parseAmount(String(group.amount))!, currency: String(group.currency) };
      if (!blank(group.channels)) {
        const list = (Array.isArray(group.channels) ? group.channels : [group.channels]) as Channel[];
        limits.channels = CHANNELS.filter((c) => list.includes(c));
      }
      if (!blank(group.quietFrom) && !blank(group.quietTo)) {
        limits.quietHours = { from: parseLocalTime(String(group.quietFrom))!, to: parseLocalTime(String(group.quietTo))! };
      }
      if (!blank(group.days)) limits.allowedForDays = Number(group.days);
      return Object.keys(limits).length > 0 ? limits : null;
    });
}

/**
 * The "My choices" form: one value per choice, the notice versions shown, optionally the time
 * zone and the limits of each action kind (a group the page did not post keeps its limits).
 */
export function preferencesSchema(options: PreferencesFormOptions) {
  const actionKeys = options.choices.filter((c) => c.kind === "action").map((c) => c.key);
  return z.object({
    ...Object.fromEntries(
      options.choices.map((c) => [c.key, z.enum(CHOICE_VALUES[c.kind] as unknown as [string, ...string[]], { error: msg("chooseOne") })]),
    ),
    // "key:version,…" — the notice versions the page showed, so nobody agrees to unseen text.
    shown: z
      .string({ error: msg("invalid") })
      .max(2000)
      .regex(/^[\w-]+:\d+(,[\w-]+:\d+)*$/, msg("invalid")),
    timeZone: z.enum(options.timeZones as [string, ...string[]], { error: msg("chooseOne") }).optional(),
    limits: z.object(Object.fromEntries(actionKeys.map((key) => [key, limitsGroup(options).optional()]))).optional(),
  });
}

/** The parsed form, split for savePreferences. */
export function formToSave(value: Record<string, unknown>): {
  values: Record<string, string>;
  limits: Record<string, PermissionLimits | null>;
  timeZone: string | undefined;
  shown: string;
} {
  const { shown, timeZone, limits, ...values } = value;
  const posted = Object.entries((limits ?? {}) as Record<string, PermissionLimits | null | undefined>).filter(
    (entry): entry is [string, PermissionLimits | null] => entry[1] !== undefined,
  );
  return {
    values: values as Record<string, string>,
    limits: Object.fromEntries(posted),
    timeZone: timeZone as string | undefined,
    shown: shown as string,
  };
}

