/**
 * Limits on an "allowed" action kind (SPEC §11.2) as plain data: their canonical form, their
 * validation and their JSON text. No data access: the preferences domain (server) and the
 * choices form (client) share it.
 */
import {
  CHANNELS,
  CURRENCY_PATTERN,
  LIMIT_ALLOWED_FOR_DAYS_MAX,
  LIMIT_MAX_AMOUNT_HUNDREDTHS,
  LOCAL_TIME_PATTERN,
  type Channel,
  type PermissionLimits,
} from "./vocabulary";

export const DAY_MS = 86_400_000;

/**
 * The limits as a consent event records them: quiet hours also name the time zone they were
 * given in, so a receipt says "22:00–07:00 Europe/Paris" on its own.
 */
export type RecordedLimits = Omit<PermissionLimits, "quietHours"> & { quietHours?: { from: string; to: string; timeZone?: string } };

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);

/**
 * Why `limits` is not a valid PermissionLimits (a short English reason for logs and errors), or
 * null when it is valid. Every part is optional; `maxAmount` in hundredths (integer 0 … the
 * vocabulary's maximum) with an ISO 4217 code; `channels` a non-empty list of known channels;
 * `quietHours` two different local times "HH:MM"; `allowedForDays` an integer 1 … the maximum.
 */
export function limitsProblem(limits: unknown): string | null {
  if (limits === null || limits === undefined) return null;
  if (!isRecord(limits)) return "limits must be an object";
  const known = ["maxAmount", "channels", "quietHours", "allowedForDays"];
  const unknown = Object.keys(limits).find((k) => !known.includes(k));
  if (unknown) return `unknown limit ${unknown}`;
  const { maxAmount, channels, quietHours, allowedForDays } = limits;
  if (maxAmount !== undefined) {
    if (!isRecord(maxAmount)) return "maxAmount must be an object";
    const { hundredths, currency } = maxAmount;
    if (typeof hundredths !== "number" || !Number.isInteger(hundredths) || hundredths < 0 || hundredths > LIMIT_MAX_AMOUNT_HUNDREDTHS) return "maxAmount.hundredths out of range";
    if (typeof currency !== "string" || !CURRENCY_PATTERN.test(currency)) return "maxAmount.currency is not an ISO 4217 code";
  }
  if (channels !== undefined) {
    if (!Array.isArray(channels) || channels.length === 0) return "channels must be a non-empty list";
    if (channels.some((c) => !(CHANNELS as readonly unknown[]).includes(c))) return "unknown channel";
  }
  if (quietHours !== undefined) {
    if (!isRecord(quietHours)) return "quietHours must be an object";
    const { from, to } = quietHours;
    if (typeof from !== "string" || typeof to !== "string" || !LOCAL_TIME_PATTERN.test(from) || !LOCAL_TIME_PATTERN.test(to)) return "quietHours must be HH:MM";
    if (from === to) return "quietHours must not start and end at the same time";
  }
  if (allowedForDays !== undefined) {
    if (typeof allowedForDays !== "number" || !Number.isInteger(allowedForDays) || allowedForDays < 1 || allowedForDays > LIMIT_ALLOWED_FOR_DAYS_MAX) return "allowedForDays out of range";
  }
  return null;
}

/**
 * The canonical form of valid limits: fixed key order, channels once each in the vocabulary's
 * order, null when nothing is set — so two equal sets of limits have the same JSON text.
 */
export function normaliseLimits(limits: PermissionLimits | null | undefined): PermissionLimits | null {
  if (!limits) return null;
  const out: PermissionLimits = {};
  if (limits.maxAmount) out.maxAmount = { hundredths: limits.maxAmount.hundredths, currency: limits.maxAmount.currency };
  if (limits.channels?.length) out.channels = CHANNELS.filter((c) => limits.channels!.includes(c)) as Channel[];
  if (limits.quietHours) out.quietHours = { from: limits.quietHours.from, to: limits.quietHours.to };
  if (limits.allowedForDays !== undefined) out.allowedForDays = limits.allowedForDays;
  return Object.keys(out).length === 0 ? null : out;
}

/** The limits as a consent event records them (quiet hours with the zone in force), or null. */
export function recordedLimits(limits: PermissionLimits | null, timeZone: string): RecordedLimits | null {
  if (!limits) return null;
  return limits.quietHours ? { ...limits, quietHours: { ...limits.quietHours, timeZone } } : { ...limits };
}

/**
 * Limits from their JSON text (a preference's or a consent event's `limits` column). Text that
 * is not valid limits reads as null: a limit nobody can read is not shown as a promise.
 */
export function parseLimits(json: string | null | undefined): RecordedLimits | null {
  if (!json) return null;
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    return null;
  }
  if (!isRecord(value)) return null;
  const zone = isRecord(value.quietHours) && typeof value.quietHours.timeZone === "string" ? value.quietHours.timeZone : undefined;
  const plain = isRecord(value.quietHours) ? { ...value, quietHours: { from: value.quietHours.from, to: value.quietHours.to } } : value;
  if (limitsProblem(plain) !== null) return null;
  const limits = normaliseLimits(plain as PermissionLimits);
  if (!limits) return null;
  return zone && limits.quietHours ? { ...limits, quietHours: { ...limits.quietHours, timeZone: zone } } : limits;
}

/** When an "allow" given at `givenAt` (ms) falls back to "ask me first" under `limits`, or null (never). */
export function allowedUntil(givenAt: number, limits: PermissionLimits | null): number | null {
  return limits?.allowedForDays ? givenAt + limits.allowedForDays * DAY_MS : null;
}

/**
 * Limits in the shape people and other systems read (receipts, the data export): amounts in the
 * currency's major unit (2050 hundredths → 20.5), like the API's `Limits`.
 */
export function limitsForPeople(limits: RecordedLimits | null) {
  if (!limits) return null;
  return {
    ...(limits.maxAmount ? { maxAmount: { amount: limits.maxAmount.hundredths / 100, currency: limits.maxAmount.currency } } : {}),
    ...(limits.channels ? { channels: limits.channels } : {}),
    ...(limits.quietHours ? { quietHours: limits.quietHours } : {}),
    ...(limits.allowedForDays !== undefined ? { allowedForDays: limits.allowedForDays } : {}),
  };
}
