/**
 * The one schema of the "My choices" form (client and server), with the limits of each action
 * kind (SPEC §11.2) as the page posts them: `limits.<choice>.amount|currency|channels|quietFrom|
 * quietTo|days` and one `timeZone`. Built from what the loader sent (choices, time zones,
 * currencies, expiry options), so both sides accept exactly what the page offered.
 */
import { z } from "zod";
import { CHANNELS, CHOICE_VALUES, type Channel, type ChoiceKind, type PermissionLimits } from "~/domain/vocabulary";
import { msg } from "~/utils/form-messages";
import { parseLocalTime, readAmount, type AmountOffer, type LimitField, type PreferencesFormOptions } from "./preferences-fields";

export {
  ALLOWED_FOR_DAYS_OPTIONS,
  amountText,
  LIMIT_CURRENCIES,
  LIMIT_FIELDS,
  limitsFormValues,
  parseAmount,
  parseLocalTime,
  readAmount,
  type AmountOffer,
  type AmountProblem,
  type LimitField,
  type LimitsFormValues,
  type PreferencesFormOptions,
} from "./preferences-fields";

const limitError = (name: "time" | "quietBoth" | "quietSame" | "amountNotForKind" | `amountProblem.${string}`, params?: Record<string, string>) =>
  msg(`common:preferences.limits.errors.${name}`, params);

const blank = (value: unknown) => value === undefined || value === null || (typeof value === "string" && value.trim() === "");

/** One action kind's limit fields → PermissionLimits (null: none set); errors per field. */
function limitsGroup(options: PreferencesFormOptions, amountOffer: AmountOffer) {
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
        const read = typeof amount === "string" ? readAmount(amount) : ({ problem: "notNumber" } as const);
        if ("problem" in read) fail("amount", limitError(`amountProblem.${read.problem}`, read.problem === "tooLarge" && options.maxAmountText ? { max: options.maxAmountText } : undefined));
        if (typeof currency !== "string" || !options.currencies.includes(currency)) fail("currency", msg("chooseOne"));
        // A cap only where the kind's actions involve money; one set before may stay as it is.
        const kept = amountOffer.offer === "keep" && "hundredths" in read && read.hundredths === amountOffer.hundredths && currency === amountOffer.currency;
        if (amountOffer.offer !== "offered" && !kept && !("problem" in read)) fail("amount", limitError("amountNotForKind"));
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
      if (!blank(group.amount)) limits.maxAmount = { hundredths: (readAmount(String(group.amount)) as { hundredths: number }).hundredths, currency: String(group.currency) };
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
  const actions = options.choices.filter((c) => c.kind === "action");
  return z.object({
    ...Object.fromEntries(
      options.choices.map((c) => {
        const value = z.enum(CHOICE_VALUES[c.kind] as unknown as [string, ...string[]], { error: msg("chooseOne") });
        return [c.key, c.pending ? value.optional() : value];
      }),
    ),
    // "key:version,…" — the notice versions the page showed, so nobody agrees to unseen text.
    shown: z
      .string({ error: msg("invalid") })
      .max(2000)
      .regex(/^[\w-]+:\d+(,[\w-]+:\d+)*$/, msg("invalid")),
    // An empty list: the browser's check leaves the zone to the server's (the page does not carry the list twice).
    timeZone: (options.timeZones.length ? z.enum(options.timeZones as [string, ...string[]], { error: msg("chooseOne") }) : z.string().max(100)).optional(),
    limits: z.object(Object.fromEntries(actions.map((c) => [c.key, limitsGroup(options, c.amount ?? { offer: "offered" }).optional()]))).optional(),
  });
}

/**
 * The answer to a re-ask of one choice (its own form, SPEC §3.2, GDPR Art. 7): `intent=confirm`,
 * the choice, the value confirmed or chosen instead, and the notice version whose change note the
 * page showed (`shown`). `pending`: the choices awaiting reconfirmation (key, kind, version).
 */
export function confirmSchema(pending: readonly { key: string; kind: ChoiceKind }[]) {
  return z
    .object({
      intent: z.literal("confirm", { error: msg("invalid") }),
      choice: z.enum(pending.length ? (pending.map((c) => c.key) as [string, ...string[]]) : ["-"], { error: msg("invalid") }),
      value: z.string({ error: msg("chooseOne") }).max(20, msg("chooseOne")),
      shown: z.coerce.number({ error: msg("invalid") }).int().min(1).max(1e9),
    })
    .superRefine((form, ctx) => {
      const kind = pending.find((c) => c.key === form.choice)?.kind;
      if (kind && !(CHOICE_VALUES[kind] as readonly string[]).includes(form.value)) ctx.addIssue({ code: "custom", path: ["value"], message: msg("chooseOne") });
    });
}

/** The parsed form, split for savePreferences. */
export function formToSave(value: Record<string, unknown>): {
  values: Record<string, string>;
  limits: Record<string, PermissionLimits | null>;
  timeZone: string | undefined;
  shown: string;
} {
  const { shown, timeZone, limits, ...posted } = value;
  const values = Object.fromEntries(Object.entries(posted).filter((entry) => entry[1] !== undefined));
  const postedLimits = Object.entries((limits ?? {}) as Record<string, PermissionLimits | null | undefined>).filter(
    (entry): entry is [string, PermissionLimits | null] => entry[1] !== undefined,
  );
  return {
    values: values as Record<string, string>,
    limits: Object.fromEntries(postedLimits),
    timeZone: timeZone as string | undefined,
    shown: shown as string,
  };
}

