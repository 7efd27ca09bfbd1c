import { and, asc, desc, eq, inArray, lte, sql } from "drizzle-orm";
import {
  choiceDefinitions,
  choiceNotices,
  consentEvents,
  customers,
  preferences,
} from "../../db/schema";
import { executeSql, forEngine, type Db } from "../utils/db.server";
import { DEFAULT_LANG } from "../utils/languages";
import { newReceiptId } from "../utils/tokens.server";
import { isTimeZone } from "../utils/calendar";
import { aiSystemNames } from "./ai-register.server";
import {
  allowedUntil as allowedUntilOf,
  limitsForPeople,
  limitsProblem,
  normaliseLimits,
  parseLimits,
  recordedLimits,
} from "./permission-limits";
import { companyTimeZone } from "./settings.server";
import { enqueueWebhookEvent } from "./webhooks.server";

import { CHOICE_VALUES, TRAINING_KEY, type ChoiceKind, type PermissionLimits } from "./vocabulary";

export { CHOICE_VALUES, TRAINING_KEY, type ChoiceKind };
export type ConsentMethod = "portal" | "embed" | "api" | "gpc";

export interface Choice {
  key: string;
  kind: ChoiceKind;
  defaultValue: string;
  noticeVersion: number;
  label: string;
  explanation: string;
  /** True when the notice text is not available in the requested language. */
  fallback: boolean;
}

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
   * `allowedForDays` ran out (`permissionExpired`). Saving the same value again renews it.
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

/** Every choice definition with its current notice in `lang` (English when missing). */
export async function listChoices(db: Db, lang: string): Promise<Choice[]> {
  const definitions = await db.select().from(choiceDefinitions).orderBy(asc(choiceDefinitions.position));
  const notices = await db
    .select()
    .from(choiceNotices)
    .where(inArray(choiceNotices.lang, [lang, DEFAULT_LANG]));
  return definitions.map((definition) => {
    const forVersion = notices.filter(
      (n) => n.choiceKey === definition.key && n.version === definition.noticeVersion,
    );
    const notice = forVersion.find((n) => n.lang === lang) ?? forVersion.find((n) => n.lang === DEFAULT_LANG);
    return {
      key: definition.key,
      kind: definition.kind as ChoiceKind,
      defaultValue: definition.defaultValue,
      noticeVersion: definition.noticeVersion,
      label: notice?.label ?? definition.key,
      explanation: notice?.explanation ?? "",
      fallback: notice?.lang !== lang,
    };
  });
}

export function isValidChoiceValue(kind: ChoiceKind, value: string): boolean {
  return (CHOICE_VALUES[kind] as readonly string[]).includes(value);
}

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
  const definitions = await db.select().from(choiceDefinitions).orderBy(asc(choiceDefinitions.position));
  const rows = await db.select().from(preferences).where(eq(preferences.customerId, customerId));
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

export class InvalidChoiceError extends Error {}

/** The notice changed while the customer was deciding: they must see the new text first. */
export class StaleNoticeError extends Error {
  constructor(public readonly choiceKeys: string[]) {
    super(`Notice changed for ${choiceKeys.join(", ")}`);
  }
}

/**
 * Saves the customer's choices (SPEC §3.2, §7, §11.2). Only a value the customer changed, a
 * change of its limits, or an unchanged value confirmed under a newer notice or after its
 * "allow" ran out (a re-ask) becomes an append-only consent event with its own receipt id and
 * the limits in force with it, in one transaction (IMMEDIATE on SQLite) with the current-value
 * upsert, the version bump and the webhook enqueue: the consent record (GDPR Art. 7(1)) is
 * written whole or not at all. Called with an open transaction, it runs inside it (a savepoint).
 * Saves of one customer never interleave (SQLite serialises write transactions; PostgreSQL takes
 * a per-customer advisory lock first), so `previousValue` and the version bump see the last save.
 * A submitted value equal to the shipped default of a choice the customer never
 * made stays a default: no event, no receipt, still "not chosen yet".
 * `noticeVersionsShown` (key → version the page displayed) guards against agreeing to a text the
 * customer never saw. `gpc`: the request carries Global Privacy Control; when the customer never
 * chose the training value and does not choose it now, the objection is recorded once, as an
 * event by "gpc" (a POST is the deliberate moment, never a page view).
 * `limits` (choice key → PermissionLimits, amounts in hundredths; null clears them; a key left
 * out keeps its limits) applies to choices of kind action only. `timeZone` (IANA name; null: the
 * company's; undefined: unchanged) is saved to the customer; it gives quiet hours their meaning,
 * so a change of zone is a change of every choice that has quiet hours.
 * Returns every receipt written, `changes` (the customer's own changes and confirmations, without
 * the GPC record), the preference version after the save and `savedAt` (the events' time, ms).
 * Throws InvalidChoiceError (unknown key, value, limits or time zone) or StaleNoticeError,
 * writing nothing.
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
    for (const [key, limits] of Object.entries(limitsInput)) {
      const definition = definitions.find((d) => d.key === key);
      const problem = limitsProblem(limits);
      if (definition?.kind !== "action" || problem !== null) throw new InvalidChoiceError(`${key} limits: ${problem ?? "not an action kind"}`);
    }
    if (input.timeZone && !isTimeZone(input.timeZone)) throw new InvalidChoiceError(`timeZone=${input.timeZone}`);
    const [customer] = await tx.select({ timeZone: customers.timeZone }).from(customers).where(eq(customers.id, input.customerId)).limit(1);
    const zoneBefore = customer?.timeZone ?? companyTimeZone();
    // Choosing the zone already in force changes nothing (a customer on the company's zone stays on it).
    const storedZone = input.timeZone === undefined || (input.timeZone ?? companyTimeZone()) === zoneBefore ? undefined : input.timeZone;
    const zoneAfter = storedZone === undefined ? zoneBefore : (storedZone ?? companyTimeZone());
    const current = await getPreferences(tx, input.customerId, { gpc: input.gpc, now });
    const receiptIds: string[] = [];
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
      const decided = submitted && (before.value !== value || before.needsReconfirmation || JSON.stringify(before.limits) !== JSON.stringify(limits));
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
 * Records Global Privacy Control (`Sec-GPC: 1`) as the customer's objection to training use,
 * once (a consent event by "gpc"), unless they ever chose the training value themselves. Call it
 * only from a deliberate POST of a request that carried the signal (sign-in, saving choices) —
 * never from a page view. Returns the receipt id written, or null when nothing was recorded.
 */
export async function recordGlobalPrivacyControl(db: Db, customerId: string, lang: string, now?: number): Promise<string | null> {
  const { receiptIds } = await savePreferences(db, { customerId, values: {}, lang, method: "gpc", gpc: true, now });
  return receiptIds[0] ?? null;
}

export type ConsentEvent = typeof consentEvents.$inferSelect;

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

export async function findConsentEvent(db: Db, customerId: string, receiptId: string): Promise<ConsentEvent | undefined> {
  const [event] = await db
    .select()
    .from(consentEvents)
    .where(and(eq(consentEvents.customerId, customerId), eq(consentEvents.receiptId, receiptId)))
    .limit(1);
  return event;
}

/**
 * A consent receipt shaped after the Kantara Consent Receipt v1.1 / ISO/IEC TS 27560
 * (field names follow the Kantara specification).
 * Extension (not in Kantara v1.1, named as its `purposes[]` fields are): `purposes[].limits`, the
 * limits the customer gave with this value (SPEC §11.2) — `maxAmount {amount (major unit, 20.5),
 * currency}`, `channels`, `quietHours {from, to, timeZone}` (local "HH:MM" in that IANA zone),
 * `allowedForDays` — or null when none were set. With `allowedForDays`, `termination` says when
 * "allowed" falls back to "ask me first".
 */
export function consentReceipt(
  event: ConsentEvent,
  context: { controllerName: string; controllerContact: string; policyUrl: string; noticeText: string },
) {
  const kindOfChoice = event.choiceKey === TRAINING_KEY ? "training" : event.choiceKey;
  const limits = parseLimits(event.limits);
  return {
    version: "KI-CR-v1.1.0",
    jurisdiction: "EU",
    consentTimestamp: Math.floor(event.createdAt / 1000),
    collectionMethod: event.method,
    consentReceiptID: event.receiptId,
    language: event.lang,
    piiPrincipalId: event.customerId,
    piiControllers: [
      { piiController: context.controllerName, contact: context.controllerContact, piiControllerUrl: context.policyUrl },
    ],
    policyUrl: context.policyUrl,
    services: [
      {
        service: "Customer service with AI assistance",
        purposes: [
          {
            purpose: kindOfChoice,
            purposeCategory: [event.choiceKey === TRAINING_KEY ? "Improve AI models" : "AI actions on the customer's behalf"],
            consentType: event.method === "gpc" ? "GPC signal" : "EXPLICIT",
            piiCategory: ["Customer service interactions"],
            primaryPurpose: event.choiceKey !== TRAINING_KEY,
            termination:
              limits?.allowedForDays && event.value === "allow"
                ? `Until changed by the customer in the Candor portal; after ${limits.allowedForDays} days "allow" becomes "ask first"`
                : "Until changed by the customer in the Candor portal",
            thirdPartyDisclosure: false,
            choice: { value: event.value, previousValue: event.previousValue },
            noticeVersion: event.noticeVersion,
            notice: context.noticeText,
            limits: limitsForPeople(limits),
          },
        ],
      },
    ],
    sensitive: false,
    spiCat: [],
  };
}

export async function getNotice(db: Db, choiceKey: string, version: number, lang: string): Promise<typeof choiceNotices.$inferSelect | undefined> {
  const rows = await db
    .select()
    .from(choiceNotices)
    .where(and(eq(choiceNotices.choiceKey, choiceKey), eq(choiceNotices.version, version)));
  return rows.find((r) => r.lang === lang) ?? rows.find((r) => r.lang === DEFAULT_LANG);
}

/**
 * The company changes what a choice means: a new notice version in every given language.
 * Customers who chose under an older version are asked to confirm (needsReconfirmation).
 * `changeNote` (lang → text; English is the fallback for a language without one) says what
 * changed and is shown with the re-ask; `causeSystemId` names the AI system whose material
 * change published it. Returns the new version number. Unknown choice → InvalidChoiceError.
 */
export async function publishChoiceNotice(
  db: Db,
  input: {
    choiceKey: string;
    texts: Record<string, { label: string; explanation: string }>;
    changeNote?: Record<string, string> | null;
    causeSystemId?: number | null;
    now?: number;
  },
): Promise<number> {
  const now = input.now ?? Date.now();
  return db.transaction(async (tx) => {
    const [definition] = await tx.select().from(choiceDefinitions).where(eq(choiceDefinitions.key, input.choiceKey)).limit(1);
    if (!definition) throw new InvalidChoiceError(input.choiceKey);
    const version = definition.noticeVersion + 1;
    for (const [lang, text] of Object.entries(input.texts)) {
      const changeNote = input.changeNote?.[lang] ?? input.changeNote?.[DEFAULT_LANG] ?? null;
      await tx.insert(choiceNotices)
        .values({ choiceKey: input.choiceKey, version, lang, ...text, changeNote, causeSystemId: input.causeSystemId ?? null, createdAt: now });
    }
    await tx.update(choiceDefinitions).set({ noticeVersion: version }).where(eq(choiceDefinitions.key, input.choiceKey));
    return version;
  });
}

export interface NoticeChange {
  version: number;
  /** When the version was published (ms since epoch, UTC). */
  publishedAt: number;
  /** The change note in `lang` (else English), or null when none was given. */
  note: string | null;
  /** The AI system whose material change published it (its name in `lang`), or null. */
  system: { slug: string; name: string } | null;
  /** Whether the label or explanation differs from the version before it. */
  textChanged: boolean;
}

/**
 * What changed in a choice since the notice version a customer chose under (SPEC §3.2, §4 "a
 * material change re-asks"): every newer version with its change note, the system that caused
 * it and whether its text changed, plus the text the customer originally agreed to (in `lang`,
 * else English), so the re-ask can say what changed even when the text did not.
 */
export async function noticeChangesSince(
  db: Db,
  choiceKey: string,
  sinceVersion: number,
  lang: string,
): Promise<{ changes: NoticeChange[]; earlier: { label: string; explanation: string } | null }> {
  const rows = await db
    .select()
    .from(choiceNotices)
    .where(and(eq(choiceNotices.choiceKey, choiceKey), inArray(choiceNotices.lang, [lang, DEFAULT_LANG])))
    .orderBy(asc(choiceNotices.version));
  const inLang = (version: number) => rows.find((r) => r.version === version && r.lang === lang) ?? rows.find((r) => r.version === version && r.lang === DEFAULT_LANG);
  const versions = [...new Set(rows.map((r) => r.version))].filter((v) => v > sinceVersion);
  const systems = versions.some((v) => inLang(v)?.causeSystemId != null) ? await aiSystemNames(db, lang) : null;
  const changes = versions.flatMap((version) => {
    const notice = inLang(version);
    if (!notice) return [];
    const before = inLang(version - 1);
    return [
      {
        version,
        publishedAt: notice.createdAt,
        note: notice.changeNote,
        system: notice.causeSystemId != null ? (systems?.get(notice.causeSystemId) ?? null) : null,
        textChanged: !before || before.label !== notice.label || before.explanation !== notice.explanation,
      },
    ];
  });
  const earlier = inLang(sinceVersion);
  return { changes, earlier: earlier ? { label: earlier.label, explanation: earlier.explanation } : null };
}

/** Adds a choice with its first notice (seed now; settings later). */
export async function defineChoice(
  db: Db,
  input: { key: string; kind: ChoiceKind; defaultValue: string; position: number; texts: Record<string, { label: string; explanation: string }>; now?: number },
): Promise<void> {
  if (!isValidChoiceValue(input.kind, input.defaultValue)) throw new InvalidChoiceError(input.defaultValue);
  const now = input.now ?? Date.now();
  await db.transaction(async (tx) => {
    await tx.insert(choiceDefinitions)
      .values({ key: input.key, kind: input.kind, defaultValue: input.defaultValue, noticeVersion: 1, position: input.position, createdAt: now });
    for (const [lang, text] of Object.entries(input.texts)) {
      await tx.insert(choiceNotices).values({ choiceKey: input.key, version: 1, lang, ...text, createdAt: now });
    }
  });
}
