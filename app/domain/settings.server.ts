import { eq } from "drizzle-orm";
import { settings } from "../../db/schema";
import type { Db } from "../utils/db.server";
import { appendAudit, type AuditActor } from "./audit.server";

/** Company-wide settings with their shipped defaults. */
export const SETTING_DEFAULTS = {
  /** Shown in the portal's header and in consent receipts. */
  companyName: "Candor",
  /** Where customers and receipts point for data protection questions. */
  privacyContactEmail: "privacy@example.com",
  privacyPolicyUrl: "https://example.com/privacy",
  /** How long a personal link stays valid. */
  linkLifetimeDays: 7,
  /** SLA for the first staff response to a concern. */
  slaFirstResponseHours: 48,
  /** SLA for resolving a concern. */
  slaResolutionHours: 240,
  /** Statutory deadline for rights-based concerns, in calendar months (GDPR Art. 12(3): one month). */
  statutoryMonths: 1,
  /** A resolved concern can be reopened by the customer within this many days. */
  reopenGraceDays: 14,
};

export type SettingKey = keyof typeof SETTING_DEFAULTS;

/**
 * The statutory due date: the same day `months` calendar months later (clamped to the month's
 * last day — 31 January + 1 month is 28/29 February), at the same time of day (UTC).
 */
export function statutoryDueDate(db: Db, from: number): number {
  const months = getSetting(db, "statutoryMonths");
  const date = new Date(from);
  const day = date.getUTCDate();
  date.setUTCDate(1);
  date.setUTCMonth(date.getUTCMonth() + months);
  const lastDay = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 0)).getUTCDate();
  date.setUTCDate(Math.min(day, lastDay));
  return date.getTime();
}

export function getSetting<K extends SettingKey>(db: Db, key: K): (typeof SETTING_DEFAULTS)[K] {
  const row = db.select().from(settings).where(eq(settings.key, key)).get();
  return (row?.value as (typeof SETTING_DEFAULTS)[K] | undefined) ?? SETTING_DEFAULTS[key];
}

/** Changes a setting; the change is audited in the same transaction (the value's key, not the value). */
export function setSetting<K extends SettingKey>(
  db: Db,
  key: K,
  value: (typeof SETTING_DEFAULTS)[K],
  actor: AuditActor = { type: "system" },
): void {
  const now = Date.now();
  db.transaction(
    (tx) => {
      tx.insert(settings)
        .values({ key, value, updatedAt: now })
        .onConflictDoUpdate({ target: settings.key, set: { value, updatedAt: now } })
        .run();
      appendAudit(tx, { actor, action: "settings.changed", target: { type: "setting", id: key }, now });
    },
    { behavior: "immediate" },
  );
}
