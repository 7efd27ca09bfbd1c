import { and, desc, eq, lte, sql } from "drizzle-orm";
import { choiceDefinitions, consentEvents, customers, preferences } from "../../db/schema";
import { executeSql, forEngine, type Db } from "../utils/db.server";
import { preparedQuery } from "../utils/prepared.server";
import { newReceiptId } from "../utils/tokens.server";
import { isTimeZone } from "../utils/calendar";
import { InvalidChoiceError, isValidChoiceValue, StaleNoticeError } from "./choice-errors";
import type { ConsentEvent } from "./consent-receipt";
import {
  allowedUntil as allowedUntilOf,
  limitsProblem,
  normaliseLimits,
  parseLimits,
  recordedLimits,
} from "./permission-limits";
import { companyTimeZone } from "./settings.server";
import { enqueueWebhookEvent } from "./webhooks.server";
import { choiceDefinitionsInOrder } from "./choice-notices.server";
import { CHOICE_VALUES, TRAINING_KEY, type ChoiceKind, type PermissionLimits } from "./vocabulary";

export { CHOICE_VALUES, TRAINING_KEY, type ChoiceKind };
export { InvalidChoiceError, isValidChoiceValue, StaleNoticeError } from "./choice-errors";
export { consentReceipt, type ConsentEvent } from "./consent-receipt";
export {
  defineChoice,
  getNotice,
  listChoices,
  noticeChangesSince,
  publishChoiceNotice,
  setChoiceInvolvesAmount,
  type Choice,
  type NoticeChange,
} from "./choice-notices.server";
export type ConsentMethod = "portal" | "embed" | "api" | "gpc";

export interface CurrentPreference {
  key: string;
  value: string;
  /** True when the customer never chose: the shipped (protective) default applies. */
  isDefault: boolean;
  noticeVersion: number;
  method: ConsentMethod | null;
  updatedAt: number | null;
  /**
   * The customer is asked to confirm: chosen under an older notice, or an "allow" whose
   * `allowedForDays` ran out (`permissionExpired`). Only an explicit confirmation of this one
   * choice (`confirmChoice`) or a change of its value or limits ends it; until then the value
   * applies as SPEC §11.1/§11.2 say for it (an "allow" is answered "ask").
   */
  needsReconfirmation: boolean;
  /** Limits on this action kind (SPEC §11.2), canonical; null when none are set. */
  limits: PermissionLimits | null;
  /** When the current "allow" falls back to "ask me first" (ms since epoch, UTC), or null (never). */
  allowedUntil: number | null;
  /** The "allow" ran out (`allowedForDays` passed): agents are told to ask until it is given again. */
  permissionExpired: boolean;
  /**
   * Global Privacy Control decides this value: it was recorded as the customer's objection
   * (method "gpc"), or the browser sends the signal now and the customer never chose.
   */
  gpcApplied: boolean;
}

// Read by every customer page and every save: prepared.
const preferencesOf = preparedQuery("preferences_of_customer", (db) => db.select().from(preferences).where(eq(preferences.customerId, sql.placeholder("customerId"))));

/**
 * The customer's current value for every choice, defaults filled in, with its limits (SPEC §11.2).
 * `gpc`: the request carries Global Privacy Control (`Sec-GPC: 1`); it is applied here, when
 * preferences are read, as an objection to training use (value "no") unless the customer chose
 * the training value themselves (SPEC §3.2). `now` (ms, default the clock) decides whether an
 * "allow" with `allowedForDays` has run out: then `permissionExpired` and `needsReconfirmation`
 * are true. Reading never writes anything.
 */
export async function getPreferences(db: Db, customerId: string, options: { gpc?: boolean; now?: number } = {}): Promise<CurrentPreference[]> {
  const now = options.now ?? Date.now();
  const definitions = await choiceDefinitionsInOrder(db);
  const rows = await preferencesOf(db, { customerId });
  return definitions.map((definition) => {
    const row = rows.find((r) => r.choiceKey === definition.key);
    const gpcNow = Boolean(options.gpc) && !row && definition.key === TRAINING_KEY;
    const limits = normaliseLimits(parseLimits(row?.limits) as PermissionLimits | null);
    const until = row?.value === "allow" ? allowedUntilOf(row.updatedAt, limits) : null;
    const permissionExpired = until !== null && now >= until;
    return {
      key: definition.key,
      value: gpcNow ? "no" : (row?.value ?? definition.defaultValue),
      isDefault: !row,
      noticeVersion: row?.noticeVersion ?? definition.noticeVersion,
      method: (row?.method as ConsentMethod | undefined) ?? null,
      updatedAt: row?.updatedAt ?? null,
      needsReconfirmation: Boolean(row && row.noticeVersion < definition.noticeVersion) || permissionExpired,
      gpcApplied: gpcNow || row?.method === "gpc",
      limits,
      allowedUntil: until,
      permissionExpired,
    };
  });
}

/** The time zone the customer's quiet hours are read in: their own, else the company's (IANA name). */
export async function customerTimeZone(db: Db, customerId: string): Promise<string> {
  const [row] = await db.select({ timeZone: customers.timeZone }).from(customers).where(eq(customers.id, customerId)).limit(1);
  return row?.timeZone ?? companyTimeZone();
}

/**
 * The customer's value of a choice as it stood at `at` (ms since epoch, UTC): the value of their
 * latest consent event for it at or before that moment (a GPC objection included), else the
 * choice's default. Used to store training eligibility as it was at an interaction's time (SPEC
 * §11.4). Unknown choice → null.
 */
export async function choiceValueAt(db: Db, customerId: string, choiceKey: string, at: number): Promise<string | null> {
  const [event] = await db
    .select({ value: consentEvents.value })
    .from(consentEvents)
    .where(and(eq(consentEvents.customerId, customerId), eq(consentEvents.choiceKey, choiceKey), lte(consentEvents.createdAt, at)))
    .orderBy(desc(consentEvents.createdAt), desc(consentEvents.id))
    .limit(1);
  if (event) return event.value;
  const [definition] = await db
    .select({ d: choiceDefinitions.defaultValue })
    .from(choiceDefinitions)
    .where(eq(choiceDefinitions.key, choiceKey))
    .limit(1);
  return definition?.d ?? null;
}

export async function getPreferenceVersion(db: Db, customerId: string): Promise<number> {
  const [row] = await db
    .select({ v: customers.preferenceVersion })
    .from(customers)
    .where(eq(customers.id, customerId))
    .limit(1);
  return row?.v ?? 0;
}

/**
 * Saves the customer's choices (SPEC §3.2, §7, §11.2). Only a value the customer changed, a
 * change of its limits, or an unchanged value the customer explicitly confirmed (`confirmed`
 * names it) while it awaited reconfirmation — chosen under an older notice, or an "allow" that
 * ran out — becomes an append-only consent event with its own receipt id and
 * the limits in force with it, in one transaction (IMMEDIATE on SQLite) with the current-value
 * upsert, the version bump and the webhook enqueue: the consent record (GDPR Art. 7(1)) is
 * written whole or not at all. Called with an open transaction, it runs inside it (a savepoint).
 * Saves of one customer never interleave (SQLite serialises write transactions; PostgreSQL takes
 * a per-customer advisory lock first), so `previousValue` and the version bump see the last save.
 * A submitted value equal to the shipped default of a choice the customer never
 * made stays a default: no event, no receipt, still "not chosen yet". A form re-submits every
 * value: an unchanged value is never taken as a fresh choice, so a choice awaiting
 * reconfirmation keeps its older notice version (and its "ask" meaning) until `confirmed` names
 * it (GDPR Art. 7: consent is a specific, unambiguous act).
 * `noticeVersionsShown` (key → version the page displayed) guards against agreeing to a text the
 * customer never saw. `gpc`: the request carries Global Privacy Control; when the customer never
 * chose the training value and does not choose it now, the objection is recorded once, as an
 * event by "gpc" (a POST is the deliberate moment, never a page view).
 * `limits` (choice key → PermissionLimits, amounts in hundredths; null clears them; a key left
 * out keeps its limits) applies to choices of kind action only, and a maximum amount only to
 * action kinds whose actions involve money (`involvesAmount`; a cap stored before stays until the
 * customer removes it). `timeZone` (IANA name; null: the
 * company's; undefined: unchanged) is saved to the customer; it gives quiet hours their meaning,
 * so a change of zone is a change of every choice that has quiet hours.
 * Returns every receipt written, `changes` (the customer's own changes and confirmations, without
 * the GPC record), the preference version after the save and `savedAt` (the events' time, ms).
 * Throws InvalidChoiceError (unknown key, value, limits, a limit the kind does not take, or an
 * unknown time zone) or StaleNoticeError, writing nothing.
 */
export async function savePreferences(
  db: Db,
  input: {
    customerId: string;
    values: Record<string, string>;
    limits?: Record<string, PermissionLimits | null>;
    timeZone?: string | null;
    lang: string;
    method: ConsentMethod;
    noticeVersionsShown?: Record<string, number>;
    /**
     * Choices the customer explicitly confirmed (one button per choice), not merely re-submitted.
     * Default: none when `noticeVersionsShown` is given (a page collected the values); without it
     * (no page: the demo seed, scripts) every value given is a statement made now.
     */
    confirmed?: readonly string[];
    gpc?: boolean;
    now?: number;
  },
): Promise<{ receiptIds: string[]; changes: number; preferenceVersion: number; savedAt: number }> {
  const now = input.now ?? Date.now();
  return db.transaction(async (tx) => {
    await forEngine(tx, {
      sqlite: async () => undefined,
      postgres: async () => {
        await executeSql(tx, sql`select pg_advisory_xact_lock(hashtextextended(${JSON.stringify(["preferences", input.customerId])}, 0))`);
      },
    });
    const definitions = await tx.select().from(choiceDefinitions);
    const limitsInput = input.limits ?? {};
    if (input.noticeVersionsShown) {
      const stale = definitions.filter((d) => (d.key in input.values || d.key in limitsInput) && (input.noticeVersionsShown![d.key] ?? 0) < d.noticeVersion);
      if (stale.length > 0) throw new StaleNoticeError(stale.map((d) => d.key));
    }
    for (const [key, value] of Object.entries(input.values)) {
      const definition = definitions.find((d) => d.key === key);
      if (!definition || !isValidChoiceValue(definition.kind as ChoiceKind, value)) {
        throw new InvalidChoiceError(`${key}=${value}`);
      }
    }
    const current = await getPreferences(tx, input.customerId, { gpc: input.gpc, now });
    for (const [key, limits] of Object.entries(limitsInput)) {
      const definition = definitions.find((d) => d.key === key);
      const problem = limitsProblem(limits) ?? (definition?.kind !== "action" ? "not an action kind" : null);
      if (problem !== null) throw new InvalidChoiceError(`${key} limits: ${problem}`);
      const stored = current.find((p) => p.key === key)?.limits?.maxAmount;
      const cap = limits?.maxAmount;
      if (cap && !definition!.involvesAmount && !(stored && stored.hundredths === cap.hundredths && stored.currency === cap.currency)) {
        throw new InvalidChoiceError(`${key} limits: no amounts for this kind`);
      }
    }
    // A confirmation is of a notice the customer was shown, and of a value they gave.
    for (const key of input.confirmed ?? []) {
      if (!definitions.some((d) => d.key === key) || !(key in input.values) || input.noticeVersionsShown?.[key] === undefined) throw new InvalidChoiceError(`confirmed ${key}`);
    }
    if (input.timeZone && !isTimeZone(input.timeZone)) throw new InvalidChoiceError(`timeZone=${input.timeZone}`);
    const [customer] = await tx.select({ timeZone: customers.timeZone }).from(customers).where(eq(customers.id, input.customerId)).limit(1);
    const zoneBefore = customer?.timeZone ?? companyTimeZone();
    // Choosing the zone already in force changes nothing (a customer on the company's zone stays on it).
    const storedZone = input.timeZone === undefined || (input.timeZone ?? companyTimeZone()) === zoneBefore ? undefined : input.timeZone;
    const zoneAfter = storedZone === undefined ? zoneBefore : (storedZone ?? companyTimeZone());
    const receiptIds: string[] = [];
    const confirmed = new Set(input.confirmed ?? (input.noticeVersionsShown ? [] : Object.keys(input.values)));
    // `decided`: the customer gave this value and these limits now (under the current notice),
    // which also starts a new `allowedForDays` period; otherwise only the meaning of unchanged
    // limits changed (a new time zone for their quiet hours), which is recorded but renews nothing.
    const record = async (key: string, value: string, limits: PermissionLimits | null, method: ConsentMethod, decided = true) => {
      const definition = definitions.find((d) => d.key === key)!;
      const before = current.find((p) => p.key === key)!;
      const receiptId = newReceiptId();
      const recorded = recordedLimits(limits, zoneAfter);
      await tx.insert(consentEvents).values({
        receiptId,
        customerId: input.customerId,
        choiceKey: key,
        value,
        previousValue: before.isDefault ? null : before.value,
        noticeVersion: decided ? definition.noticeVersion : before.noticeVersion,
        lang: input.lang,
        method,
        limits: recorded ? JSON.stringify(recorded) : null,
        createdAt: now,
      });
      receiptIds.push(receiptId);
      if (!decided) return;
      const limitsText = limits ? JSON.stringify(limits) : null;
      await tx.insert(preferences)
        .values({ customerId: input.customerId, choiceKey: key, value, noticeVersion: definition.noticeVersion, method, updatedAt: now, limits: limitsText })
        .onConflictDoUpdate({
          target: [preferences.customerId, preferences.choiceKey],
          set: { value, noticeVersion: definition.noticeVersion, method, updatedAt: now, limits: limitsText },
        });
    };
    // What a choice's limits mean: quiet hours are read in the customer's zone.
    const meaning = (limits: PermissionLimits | null, zone: string) => JSON.stringify(recordedLimits(limits, zone));
    const keys = new Set([
      ...Object.keys(input.values),
      ...Object.keys(limitsInput),
      ...(zoneAfter !== zoneBefore ? current.filter((p) => p.limits?.quietHours).map((p) => p.key) : []),
    ]);
    for (const key of keys) {
      const before = current.find((p) => p.key === key)!;
      const submitted = key in input.values || key in limitsInput;
      const value = input.values[key] ?? before.value;
      const limits = key in limitsInput ? normaliseLimits(limitsInput[key]) : before.limits;
      const changed = before.value !== value || JSON.stringify(before.limits) !== JSON.stringify(limits);
      const decided = submitted && (changed || (confirmed.has(key) && before.needsReconfirmation));
      if (decided) await record(key, value, limits, input.method);
      else if (meaning(before.limits, zoneBefore) !== meaning(limits, zoneAfter)) await record(key, value, limits, input.method, false);
    }
    const changes = receiptIds.length;
    const training = current.find((p) => p.key === TRAINING_KEY);
    if (training?.isDefault && training.gpcApplied && !(TRAINING_KEY in input.values && input.values[TRAINING_KEY] !== training.value)) {
      await record(TRAINING_KEY, "no", null, "gpc");
    }
    if (storedZone !== undefined) {
      await tx.update(customers).set({ timeZone: storedZone, updatedAt: now }).where(eq(customers.id, input.customerId));
    }
    let preferenceVersion = await getPreferenceVersion(tx, input.customerId);
    if (receiptIds.length > 0) {
      preferenceVersion += 1;
      await tx.update(customers)
        .set({ preferenceVersion, updatedAt: now })
        .where(eq(customers.id, input.customerId));
      await enqueueWebhookEvent(tx, "preferences.changed", { customerId: input.customerId, preferenceVersion, changes: receiptIds.length, method: input.method }, now);
    }
    return { receiptIds, changes, preferenceVersion, savedAt: now };
  });
}

/**
 * The customer's explicit answer to a re-ask of one choice (SPEC §3.2 "asked to confirm", GDPR
 * Art. 7): `value` (the one they had, or another) for `choiceKey` under `noticeVersionShown`, the
 * notice version whose change note the page showed with the question. Records one consent event
 * with that notice version when the choice awaited reconfirmation or the value changed, in one
 * transaction with the rest of savePreferences; its limits stay as they are. Nothing else is
 * saved. Returns what savePreferences returns (`changes` 0: nothing awaited confirmation).
 * Throws InvalidChoiceError (unknown choice or value) or StaleNoticeError (a newer notice exists).
 */
export async function confirmChoice(
  db: Db,
  input: { customerId: string; choiceKey: string; value: string; noticeVersionShown: number; lang: string; method: ConsentMethod; gpc?: boolean; now?: number },
): Promise<{ receiptIds: string[]; changes: number; preferenceVersion: number; savedAt: number }> {
  return savePreferences(db, {
    customerId: input.customerId,
    values: { [input.choiceKey]: input.value },
    confirmed: [input.choiceKey],
    noticeVersionsShown: { [input.choiceKey]: input.noticeVersionShown },
    lang: input.lang,
    method: input.method,
    gpc: input.gpc,
    now: input.now,
  });
}

/**
 * Records Global Privacy Control (`Sec-GPC: 1`) as the customer's objection to training use,
 * once (a consent event by "gpc"), unless they ever chose the training value themselves. Call it
 * only from a deliberate POST of a request that carried the signal (sign-in, saving choices) —
 * never from a page view. Returns the receipt id written, or null when nothing was recorded.
 */
export async function recordGlobalPrivacyControl(db: Db, customerId: string, lang: string, now?: number): Promise<string | null> {
  const { receiptIds } = await savePreferences(db, { customerId, values: {}, lang, method: "gpc", gpc: true, now });
  return receiptIds[0] ?? null;
}

/**
 * How many of the customer's own changes a save at `savedAt` (ms, from savePreferences)
 * recorded, counted from the consent events themselves (a GPC record is not the customer's
 * change), so a confirmation can only ever report what was really recorded.
 */
export async function countChangesSavedAt(db: Db, customerId: string, savedAt: number): Promise<number> {
  const events = await db
    .select({ method: consentEvents.method })
    .from(consentEvents)
    .where(and(eq(consentEvents.customerId, customerId), eq(consentEvents.createdAt, savedAt)));
  return events.filter((e) => e.method !== "gpc").length;
}

export async function listConsentEvents(db: Db, customerId: string): Promise<ConsentEvent[]> {
  return db
    .select()
    .from(consentEvents)
    .where(eq(consentEvents.customerId, customerId))
    .orderBy(desc(consentEvents.createdAt), desc(consentEvents.id));
}

const consentHistoryOf = preparedQuery("consent_history_of_customer", (db) =>
  db
    .select({
      receiptId: consentEvents.receiptId,
      choiceKey: consentEvents.choiceKey,
      value: consentEvents.value,
      previousValue: consentEvents.previousValue,
      method: consentEvents.method,
      limits: consentEvents.limits,
      createdAt: consentEvents.createdAt,
    })
    .from(consentEvents)
    .where(eq(consentEvents.customerId, sql.placeholder("customerId")))
    .orderBy(desc(consentEvents.createdAt), desc(consentEvents.id)),
);

/**
 * The customer's consent events as "My choices" shows them (SPEC §7): receipt id, choice key,
 * value and the one before, method, limits (JSON text, as stored) and `createdAt` (ms since epoch
 * UTC), newest first — the columns `listConsentEvents` reads, fewer, with a prepared statement.
 */
export async function listConsentHistory(db: Db, customerId: string): Promise<Pick<ConsentEvent, "receiptId" | "choiceKey" | "value" | "previousValue" | "method" | "limits" | "createdAt">[]> {
  return consentHistoryOf(db, { customerId });
}

export async function findConsentEvent(db: Db, customerId: string, receiptId: string): Promise<ConsentEvent | undefined> {
  const [event] = await db
    .select()
    .from(consentEvents)
    .where(and(eq(consentEvents.customerId, customerId), eq(consentEvents.receiptId, receiptId)))
    .limit(1);
  return event;
}
