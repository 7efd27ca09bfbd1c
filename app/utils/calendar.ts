/**
 * Calendar arithmetic in a named time zone (the company's: `DISPLAY_TIME_ZONE`), with date-fns and
 * @date-fns/tz — never on the UTC calendar, never with fixed 24-hour days. Instants are epoch
 * milliseconds; calendar days are "YYYY-MM-DD" strings of that zone.
 *
 * Deadlines counted in days or months follow Regulation (EEC, Euratom) No 1182/71 Art. 3, the rule
 * the GDPR's and the AI Act's periods are read by: the period ends at the *end* of the last day
 * (23:59:59.999 local); "one month" ends on the same day-of-month (the month's last day when that
 * day does not exist: 31 January + 1 month → 28/29 February). Not applied: the extension to the next
 * working day when the last day is a weekend or public holiday (Art. 3(4)) — Candor does not know the
 * company's holidays, so the date shown is the earlier, safe one.
 */
import { TZDate, tz } from "@date-fns/tz";
import { addDays as addDaysFns, addMonths, differenceInCalendarDays, endOfDay, format, getISOWeek, getISOWeekYear, startOfDay, startOfISOWeek } from "date-fns";

/** A calendar day in a time zone, "YYYY-MM-DD". */
export type IsoDay = string;

const inZone = (timeZone: string) => ({ in: tz(timeZone) });

/** The end (23:59:59.999 local) of the local day `months` calendar months after the day of `from`. */
export function endOfDayMonthsLater(from: number, months: number, timeZone: string): number {
  return endOfDay(addMonths(from, months, inZone(timeZone)), inZone(timeZone)).getTime();
}

/** The end (23:59:59.999 local) of the local day `days` calendar days after the day of `from`. */
export function endOfDayDaysLater(from: number, days: number, timeZone: string): number {
  return endOfDay(addDaysFns(from, days, inZone(timeZone)), inZone(timeZone)).getTime();
}

/**
 * The same local wall-clock time `days` calendar days later (DST-aware: across the spring change a
 * "day" is 23 hours, across the autumn one 25). Used for lifetimes given in days (personal links).
 */
export function sameTimeDaysLater(from: number, days: number, timeZone: string): number {
  return addDaysFns(from, days, inZone(timeZone)).getTime();
}

/** The local calendar day of an instant. */
export function localDay(ms: number, timeZone: string): IsoDay {
  return format(new TZDate(ms, timeZone), "yyyy-MM-dd");
}

/** The instant a local calendar day starts (DST-aware; a day has 23, 24 or 25 hours). */
export function dayStart(day: IsoDay, timeZone: string): number {
  const [y, m, d] = day.split("-").map(Number) as [number, number, number];
  return startOfDay(new TZDate(y, m - 1, d, timeZone)).getTime();
}

/** Calendar arithmetic on "YYYY-MM-DD" (no time zone involved: a day is a day). */
export function addDays(day: IsoDay, days: number): IsoDay {
  const [y, m, d] = day.split("-").map(Number) as [number, number, number];
  return format(addDaysFns(new Date(y, m - 1, d, 12), days), "yyyy-MM-dd");
}

/** Days from `from` to `to`, both "YYYY-MM-DD" (0 for the same day). */
export function daysBetween(from: IsoDay, to: IsoDay): number {
  const parse = (day: IsoDay) => {
    const [y, m, d] = day.split("-").map(Number) as [number, number, number];
    return new Date(y, m - 1, d, 12);
  };
  return differenceInCalendarDays(parse(to), parse(from));
}

/** The ISO 8601 week of a calendar day: its week-numbering year, number and Monday. */
export function isoWeek(day: IsoDay): { year: number; week: number; monday: IsoDay } {
  const [y, m, d] = day.split("-").map(Number) as [number, number, number];
  const date = new Date(y, m - 1, d, 12);
  return { year: getISOWeekYear(date), week: getISOWeek(date), monday: format(startOfISOWeek(date), "yyyy-MM-dd") };
}

/** Whether a string names an IANA time zone this runtime knows. */
export function isTimeZone(value: string): boolean {
  try {
    new Intl.DateTimeFormat("en", { timeZone: value });
    return true;
  } catch {
    return false;
  }
}
