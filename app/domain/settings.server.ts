import { eq, sql } from "drizzle-orm";
import { settings } from "../../db/schema";
import type { Db } from "../utils/db.server";
import { preparedQuery } from "../utils/prepared.server";
import { endOfDayMonthsLater } from "../utils/calendar";
import { env } from "../utils/env.server";
import { appendAudit, type AuditActor } from "./audit.server";

/** Company-wide settings with their shipped defaults. */
export const SETTING_DEFAULTS = {
  /** Shown in the portal's header and in consent receipts. */
  companyName: "Candor",
  /** Where customers and receipts point for data protection questions. */
  privacyContactEmail: "privacy@example.com",
  privacyPolicyUrl: "https://example.com/privacy",
  /** How long a personal link stays valid: calendar days in the company's zone, to the same local time. */
  linkLifetimeDays: 7,
  /**
   * SLA for the first staff response to a concern, in elapsed hours (wall-clock time, not business
   * hours: nights, weekends and DST changes count as they pass; 48 h is always 48 × 3,600 s). The
   * clock stops while the case waits on the customer.
   */
  slaFirstResponseHours: 48,
  /** SLA for resolving a concern, in elapsed hours counted from filing (as above). */
  slaResolutionHours: 240,
  /** Statutory deadline for rights-based concerns, in calendar months (GDPR Art. 12(3): one month). */
  statutoryMonths: 1,
  /**
   * A resolved concern can be reopened by the customer within this many calendar days (company's
   * zone): until the end of the local day `reopenGraceDays` after the day it was resolved.
   */
  reopenGraceDays: 14,
  /**
   * Retention (SPEC §7, GDPR Art. 5(1)(e)): a closed concern's personal data (texts, contact
   * address, messages, the link to the customer) is removed this many calendar months after it
   * closed; its statistics stay.
   */
  retentionClosedConcernMonths: 24,
  /** Expired or revoked personal links and ended sessions are deleted this many days after they ended. */
  retentionLinksAndSessionsDays: 30,
  /**
   * AI literacy (AI Act Art. 4): staff without a current training cannot claim or be assigned AI
   * concerns while this is on.
   */
  requireTraining: true,
};

export type SettingKey = keyof typeof SETTING_DEFAULTS;

/** The company's time zone (IANA name, `DISPLAY_TIME_ZONE`): every calendar computation uses it. */
export function companyTimeZone(): string {
  return env().DISPLAY_TIME_ZONE;
}

/**
 * The statutory due date of a rights-based concern filed at `from` (GDPR Art. 12(3): "within one
 * month of receipt"; `statutoryMonths` setting), counted on the company's calendar
 * (`timeZone`, default `companyTimeZone()`): the end (23:59:59.999 local) of the same
 * day-of-month `months` later, clamped to the month's last day (31 January + 1 month → end of
 * 28/29 February) — Regulation 1182/71 Art. 3, see app/utils/calendar.ts. Filed 1 March 2026 at
 * 00:30 in Brussels (28 February 23:30 UTC) → due at the end of 1 April 2026, Brussels time.
 * Resolves to epoch ms (async: the setting is read from the database).
 */
export async function statutoryDueDate(db: Db, from: number, timeZone = companyTimeZone()): Promise<number> {
  return endOfDayMonthsLater(from, await getSetting(db, "statutoryMonths"), timeZone);
}

const settingByKey = preparedQuery("setting_by_key", (db) => db.select().from(settings).where(eq(settings.key, sql.placeholder("key"))).limit(1));

/** A setting's stored value, or its shipped default (async; every portal page reads the company name: prepared). */
export async function getSetting<K extends SettingKey>(db: Db, key: K): Promise<(typeof SETTING_DEFAULTS)[K]> {
  const [row] = await settingByKey(db, { key });
  return (row?.value as (typeof SETTING_DEFAULTS)[K] | undefined) ?? SETTING_DEFAULTS[key];
}

/** Changes a setting (async); the change is audited in the same transaction (the value's key, not the value). */
export async function setSetting<K extends SettingKey>(
  db: Db,
  key: K,
  value: (typeof SETTING_DEFAULTS)[K],
  actor: AuditActor = { type: "system" },
): Promise<void> {
  const now = Date.now();
  await db.transaction(async (tx) => {
    await tx
      .insert(settings)
      .values({ key, value, updatedAt: now })
      .onConflictDoUpdate({ target: settings.key, set: { value, updatedAt: now } });
    await appendAudit(tx, { actor, action: "settings.changed", target: { type: "setting", id: key }, now });
  });
}
