import { and, count, eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  consentReceipt,
  defineChoice,
  customerTimeZone,
  getPreferences,
  getPreferenceVersion,
  InvalidChoiceError,
  listChoices,
  listConsentEvents,
  publishChoiceNotice,
  recordGlobalPrivacyControl,
  savePreferences,
  StaleNoticeError,
} from "../../app/domain/preferences.server";
import { exportCustomerData } from "../../app/domain/data-export.server";
import { DAY_MS, limitsProblem, normaliseLimits, parseLimits } from "../../app/domain/permission-limits";
import { companyTimeZone } from "../../app/domain/settings.server";
import type { PermissionLimits } from "../../app/domain/vocabulary";
import { parseWithZod } from "@conform-to/zod/v4";
import { amountText, formToSave, parseAmount, parseLocalTime, preferencesSchema } from "../../app/routes/portal/preferences-form";
import type { AnyDatabase, Db } from "../../app/utils/db.server";
import { choiceDefinitions, consentEvents, customers, preferences } from "../../db/schema";
import { freshTestDatabase } from "../support/database";

let databases: AnyDatabase[] = [];
let db: Db;
const customerId = "demo-customer-2";

/** Another fresh copy of the seeded database, closed after the test. */
async function freshDb(): Promise<Db> {
  const database = await freshTestDatabase();
  databases.push(database);
  return database.db;
}

beforeEach(async () => {
  db = await freshDb();
});

afterEach(async () => {
  for (const database of databases) await database.close();
  databases = [];
});

/** The seed's training default becomes "yes" (a pre-selected permission). */
async function trainingDefaultsToYes(fresh: Db) {
  await fresh.update(choiceDefinitions).set({ defaultValue: "yes" }).where(eq(choiceDefinitions.key, "training"));
}

/** The customer never chose anything: every choice is at its default. */
async function forgetChoices(fresh: Db, id: string) {
  await fresh.delete(preferences).where(eq(preferences.customerId, id));
}

describe("choices and preferences", () => {
  it("ships the protective defaults: ask first, no training, human first off", async () => {
    const fresh = await freshDb();
    await savePreferences(fresh, { customerId: "demo-customer-1", values: {}, lang: "en", method: "portal" });
    const defaults = Object.fromEntries((await listChoices(fresh, "en")).map((c) => [c.key, c.defaultValue]));
    expect(defaults["plan-changes"]).toBe("ask");
    expect(defaults.training).toBe("no");
    expect(defaults["human-first"]).toBe("no");
  });

  it("falls back to English notice texts visibly when a language is missing", async () => {
    await defineChoice(db, { key: "english-only", kind: "action", defaultValue: "ask", position: 99, texts: { en: { label: "English only", explanation: "Written in English only." } } });
    const polish = (await listChoices(db, "pl")).find((c) => c.key === "english-only")!;
    expect(polish).toMatchObject({ label: "English only", fallback: true });
    expect((await listChoices(db, "en")).find((c) => c.key === "english-only")!.fallback).toBe(false);
    expect((await listChoices(db, "de")).filter((c) => c.key !== "english-only").every((c) => !c.fallback)).toBe(true);
  });

  it("records one consent event with a receipt per change and bumps the version once", async () => {
    const before = await getPreferenceVersion(db, customerId);
    const eventsBefore = (await listConsentEvents(db, customerId)).length;
    const { receiptIds, preferenceVersion } = await savePreferences(db, {
      customerId,
      values: { "plan-changes": "allow", training: "yes" },
      lang: "de",
      method: "portal",
    });
    expect(receiptIds).toHaveLength(2);
    expect(new Set(receiptIds).size).toBe(2);
    expect(preferenceVersion).toBe(before + 1);
    const events = await listConsentEvents(db, customerId);
    expect(events).toHaveLength(eventsBefore + 2);
    const training = events.find((e) => e.receiptId === receiptIds[1])!;
    expect(training).toMatchObject({ choiceKey: "training", value: "yes", previousValue: "no", lang: "de", method: "portal" });
    expect((await getPreferences(db, customerId)).find((p) => p.key === "plan-changes")?.value).toBe("allow");
  });

  it("records nothing when nothing changed", async () => {
    const current = Object.fromEntries((await getPreferences(db, customerId)).filter((p) => !p.isDefault && !p.needsReconfirmation).map((p) => [p.key, p.value]));
    const before = (await listConsentEvents(db, customerId)).length;
    const result = await savePreferences(db, { customerId, values: current, lang: "fr", method: "portal" });
    expect(result.receiptIds).toEqual([]);
    expect(await listConsentEvents(db, customerId)).toHaveLength(before);
  });

  it("does not record a pre-selected permission or any untouched default as consent, only a change", async () => {
    const fresh = await freshDb();
    await trainingDefaultsToYes(fresh);
    await forgetChoices(fresh, "demo-customer-1");
    const { receiptIds } = await savePreferences(fresh, { customerId: "demo-customer-1", values: { training: "yes", orders: "never", troubleshooting: "ask" }, lang: "en", method: "portal" });
    const events = (await listConsentEvents(fresh, "demo-customer-1")).filter((e) => receiptIds.includes(e.receiptId));
    expect(events.map((e) => e.choiceKey)).toEqual(["orders"]);
    expect((await getPreferences(fresh, "demo-customer-1")).find((p) => p.key === "training")?.isDefault).toBe(true);
  });

  it("refuses to record agreement to a notice version the customer was not shown", async () => {
    await publishChoiceNotice(db, { choiceKey: "orders", texts: { en: { label: "Orders", explanation: "New text." } } });
    const before = (await listConsentEvents(db, customerId)).length;
    await expect(
      savePreferences(db, { customerId, values: { orders: "allow" }, lang: "en", method: "portal", noticeVersionsShown: { orders: 1 } }),
    ).rejects.toThrow(StaleNoticeError);
    expect(await listConsentEvents(db, customerId)).toHaveLength(before);
    // Shown the new notice, the same value re-submitted by a form is not a confirmation; an explicit one is.
    expect((await savePreferences(db, { customerId, values: { orders: "allow" }, lang: "en", method: "portal", noticeVersionsShown: { orders: 2 } })).receiptIds).toHaveLength(0);
    expect((await savePreferences(db, { customerId, values: { orders: "allow" }, confirmed: ["orders"], lang: "en", method: "portal", noticeVersionsShown: { orders: 2 } })).receiptIds).toHaveLength(1);
  });

  it("rejects unknown choices and values without writing anything", async () => {
    const before = (await listConsentEvents(db, customerId)).length;
    await expect(savePreferences(db, { customerId, values: { "plan-changes": "allow", training: "maybe" }, lang: "en", method: "portal" })).rejects.toThrow(InvalidChoiceError);
    await expect(savePreferences(db, { customerId, values: { teleport: "allow" }, lang: "en", method: "portal" })).rejects.toThrow(InvalidChoiceError);
    expect(await listConsentEvents(db, customerId)).toHaveLength(before);
    expect((await getPreferences(db, customerId)).find((p) => p.key === "plan-changes")?.isDefault).toBe(true);
  });

  it("asks to reconfirm a choice made under an older notice, and confirming records it", async () => {
    await savePreferences(db, { customerId, values: { orders: "never" }, lang: "en", method: "portal" });
    await publishChoiceNotice(db, { choiceKey: "orders", texts: { en: { label: "Orders", explanation: "Now includes SIM swaps." } } });
    const orders = (await getPreferences(db, customerId)).find((p) => p.key === "orders")!;
    expect(orders.needsReconfirmation).toBe(true);
    const { receiptIds } = await savePreferences(db, { customerId, values: { orders: "never" }, lang: "en", method: "portal" });
    expect(receiptIds).toHaveLength(1);
    expect((await getPreferences(db, customerId)).find((p) => p.key === "orders")!.needsReconfirmation).toBe(false);
  });

  it("records only what the customer changed: one change among untouched defaults is one event", async () => {
    const fresh = await freshDb();
    const id = "demo-customer-1";
    await forgetChoices(fresh, id);
    const before = (await listConsentEvents(fresh, id)).length;
    const version = await getPreferenceVersion(fresh, id);
    const form = Object.fromEntries((await getPreferences(fresh, id)).map((p) => [p.key, p.value]));
    const result = await savePreferences(fresh, { customerId: id, values: { ...form, orders: "never" }, lang: "en", method: "portal" });
    expect(result.receiptIds).toHaveLength(1);
    expect(result.changes).toBe(1);
    expect(result.preferenceVersion).toBe(version + 1);
    const events = await listConsentEvents(fresh, id);
    expect(events).toHaveLength(before + 1);
    expect(events[0]).toMatchObject({ choiceKey: "orders", value: "never", previousValue: null });
    const after = await getPreferences(fresh, id);
    expect(after.filter((p) => !p.isDefault).map((p) => p.key)).toEqual(["orders"]);
    expect(after.find((p) => p.key === "training")).toMatchObject({ value: "no", isDefault: true, method: null, updatedAt: null });
    // Saving the same form again: nothing changed, no event, same version.
    const again = await savePreferences(fresh, { customerId: id, values: { ...form, orders: "never" }, lang: "en", method: "embed" });
    expect(again).toMatchObject({ receiptIds: [], changes: 0, preferenceVersion: version + 1 });
    expect(await listConsentEvents(fresh, id)).toHaveLength(before + 1);
  });

  it("applies Global Privacy Control when preferences are read, without writing anything", async () => {
    const fresh = await freshDb();
    await trainingDefaultsToYes(fresh);
    await forgetChoices(fresh, "demo-customer-1");
    const rows = async () => {
      const [events] = await fresh.select({ n: count() }).from(consentEvents);
      const [chosen] = await fresh.select({ n: count() }).from(preferences);
      return events!.n + chosen!.n;
    };
    const before = await rows();
    expect((await getPreferences(fresh, "demo-customer-1")).find((p) => p.key === "training")).toMatchObject({ value: "yes", gpcApplied: false });
    expect((await getPreferences(fresh, "demo-customer-1", { gpc: true })).find((p) => p.key === "training")).toMatchObject({ value: "no", isDefault: true, gpcApplied: true });
    expect(await rows()).toBe(before);
  });

  it("records Global Privacy Control once, by \"gpc\", and an explicit choice wins over it", async () => {
    const fresh = await freshDb();
    const id = "demo-customer-2";
    // demo-customer-2 chose training explicitly in the seed: GPC does not override it.
    expect(await recordGlobalPrivacyControl(fresh, id, "en")).toBeNull();
    await fresh.delete(preferences).where(and(eq(preferences.customerId, id), eq(preferences.choiceKey, "training")));
    expect(await recordGlobalPrivacyControl(fresh, id, "en")).not.toBeNull();
    expect(await recordGlobalPrivacyControl(fresh, id, "en")).toBeNull();
    const gpcEvents = (await listConsentEvents(fresh, id)).filter((e) => e.method === "gpc");
    expect(gpcEvents).toHaveLength(1);
    expect(gpcEvents[0]).toMatchObject({ choiceKey: "training", value: "no" });
    // Choosing yes explicitly afterwards wins over the signal, which then changes nothing.
    await savePreferences(fresh, { customerId: id, values: { training: "yes" }, lang: "en", method: "portal", gpc: true });
    expect(await recordGlobalPrivacyControl(fresh, id, "en")).toBeNull();
    expect((await getPreferences(fresh, id, { gpc: true })).find((p) => p.key === "training")).toMatchObject({ value: "yes", gpcApplied: false, method: "portal" });
  });

  it("on a save with Global Privacy Control, records the signal for an untouched training choice but does not count it as the customer's change", async () => {
    const fresh = await freshDb();
    const id = "demo-customer-1";
    await forgetChoices(fresh, id);
    const form = Object.fromEntries((await getPreferences(fresh, id, { gpc: true })).map((p) => [p.key, p.value]));
    const result = await savePreferences(fresh, { customerId: id, values: { ...form, orders: "allow" }, lang: "de", method: "portal", gpc: true });
    expect(result.changes).toBe(1);
    expect(result.receiptIds).toHaveLength(2);
    const events = (await listConsentEvents(fresh, id)).filter((e) => result.receiptIds.includes(e.receiptId));
    expect(events.map((e) => [e.choiceKey, e.method]).sort()).toEqual([["orders", "portal"], ["training", "gpc"]]);
  });
});

const RECEIPT_CONTEXT = { controllerName: "Nordlys", controllerContact: "privacy@example.test", policyUrl: "https://example.test/privacy", noticeText: "" };
// After every seeded event, so "the latest event" is the one a test wrote.
const T0 = Math.floor(Date.now() / 1000) * 1000 + DAY_MS;

describe("limits on an allowed action (SPEC §11.2)", () => {
  const limits: PermissionLimits = {
    allowedForDays: 90,
    quietHours: { from: "22:00", to: "07:00" },
    channels: ["sms", "chat", "sms"],
    maxAmount: { hundredths: 2050, currency: "EUR" },
  };

  it("round-trip: saved limits come back canonical from getPreferences, the consent event and the receipt", async () => {
    const { receiptIds, preferenceVersion } = await savePreferences(db, {
      customerId,
      values: { "billing-arrangements": "allow" },
      limits: { "billing-arrangements": limits },
      lang: "en",
      method: "portal",
      now: T0,
    });
    expect(receiptIds).toHaveLength(1);
    const billing = (await getPreferences(db, customerId, { now: T0 })).find((p) => p.key === "billing-arrangements")!;
    expect(billing.limits).toEqual({ maxAmount: { hundredths: 2050, currency: "EUR" }, channels: ["chat", "sms"], quietHours: { from: "22:00", to: "07:00" }, allowedForDays: 90 });
    expect(billing.allowedUntil).toBe(T0 + 90 * DAY_MS);
    expect(billing.permissionExpired).toBe(false);
    const [event] = (await listConsentEvents(db, customerId)).filter((e) => e.receiptId === receiptIds[0]);
    const zone = await customerTimeZone(db, customerId);
    expect(parseLimits(event!.limits)).toEqual({ ...billing.limits, quietHours: { from: "22:00", to: "07:00", timeZone: zone } });
    const purpose = consentReceipt(event!, RECEIPT_CONTEXT).services[0]!.purposes[0]!;
    expect(purpose.limits).toEqual({ maxAmount: { amount: 20.5, currency: "EUR" }, channels: ["chat", "sms"], quietHours: { from: "22:00", to: "07:00", timeZone: zone }, allowedForDays: 90 });
    expect(purpose.termination).toContain("90 days");
    expect(await getPreferenceVersion(db, customerId)).toBe(preferenceVersion);
  });

  it("a change of limits alone is a change: a consent event with the limits, a receipt and a version bump; the same limits again are not", async () => {
    await savePreferences(db, { customerId, values: { orders: "allow" }, lang: "en", method: "portal", now: T0 });
    const version = await getPreferenceVersion(db, customerId);
    const changed = await savePreferences(db, { customerId, values: { orders: "allow" }, limits: { orders: { channels: ["app"] } }, lang: "fr", method: "embed", now: T0 + 1000 });
    expect(changed.receiptIds).toHaveLength(1);
    expect(changed.preferenceVersion).toBe(version + 1);
    const [event] = await listConsentEvents(db, customerId);
    expect(event).toMatchObject({ choiceKey: "orders", value: "allow", previousValue: "allow", method: "embed", receiptId: changed.receiptIds[0] });
    expect(JSON.parse(event!.limits!)).toEqual({ channels: ["app"] });
    expect(consentReceipt(event!, RECEIPT_CONTEXT).services[0]!.purposes[0]!.limits).toEqual({ channels: ["app"] });
    // The same limits, written differently: nothing changed.
    const same = await savePreferences(db, { customerId, values: { orders: "allow" }, limits: { orders: { channels: ["app", "app"] } }, lang: "fr", method: "embed", now: T0 + 2000 });
    expect(same).toMatchObject({ receiptIds: [], preferenceVersion: version + 1 });
    // Limits left out keep their value; null clears them (a change, recorded with no limits).
    await savePreferences(db, { customerId, values: { orders: "allow" }, lang: "en", method: "portal", now: T0 + 3000 });
    expect((await getPreferences(db, customerId)).find((p) => p.key === "orders")!.limits).toEqual({ channels: ["app"] });
    const cleared = await savePreferences(db, { customerId, values: { orders: "allow" }, limits: { orders: null }, lang: "en", method: "portal", now: T0 + 4000 });
    expect(cleared.receiptIds).toHaveLength(1);
    expect((await listConsentEvents(db, customerId))[0]!.limits).toBeNull();
    expect((await getPreferences(db, customerId)).find((p) => p.key === "orders")!.limits).toBeNull();
  });

  it("an allow whose allowedForDays ran out needs reconfirmation, and saving it again renews it with a new event", async () => {
    await savePreferences(db, { customerId, values: { orders: "allow" }, limits: { orders: { allowedForDays: 30 } }, lang: "en", method: "portal", now: T0 });
    const at = (now: number) => getPreferences(db, customerId, { now }).then((all) => all.find((p) => p.key === "orders")!);
    expect(await at(T0 + 30 * DAY_MS - 1)).toMatchObject({ permissionExpired: false, needsReconfirmation: false });
    expect(await at(T0 + 30 * DAY_MS)).toMatchObject({ permissionExpired: true, needsReconfirmation: true, value: "allow" });
    const before = (await listConsentEvents(db, customerId)).length;
    const renewed = await savePreferences(db, { customerId, values: { orders: "allow" }, limits: { orders: { allowedForDays: 30 } }, lang: "en", method: "portal", now: T0 + 31 * DAY_MS });
    expect(renewed.receiptIds).toHaveLength(1);
    expect(await listConsentEvents(db, customerId)).toHaveLength(before + 1);
    expect(await at(T0 + 31 * DAY_MS)).toMatchObject({ permissionExpired: false, needsReconfirmation: false, allowedUntil: T0 + 61 * DAY_MS });
    // "ask" and "never" do not run out.
    await savePreferences(db, { customerId, values: { orders: "ask" }, lang: "en", method: "portal", now: T0 + 32 * DAY_MS });
    expect(await at(T0 + 400 * DAY_MS)).toMatchObject({ permissionExpired: false, allowedUntil: null });
  });

  it("refuses invalid limits, limits on a choice that is not an action, and unknown time zones, writing nothing", async () => {
    const before = (await listConsentEvents(db, customerId)).length;
    const attempts: Parameters<typeof savePreferences>[1][] = [
      { customerId, values: {}, limits: { training: { channels: ["chat"] } }, lang: "en", method: "portal" },
      { customerId, values: {}, limits: { orders: { quietHours: { from: "22:00", to: "22:00" } } }, lang: "en", method: "portal" },
      { customerId, values: {}, limits: { orders: { maxAmount: { hundredths: 10.5, currency: "EUR" } } }, lang: "en", method: "portal" },
      { customerId, values: {}, limits: { orders: { channels: ["pigeon" as "sms"] } }, lang: "en", method: "portal" },
      { customerId, values: { orders: "allow" }, timeZone: "Mars/Olympus", lang: "en", method: "portal" },
    ];
    for (const attempt of attempts) await expect(savePreferences(db, attempt)).rejects.toThrow(InvalidChoiceError);
    expect(await listConsentEvents(db, customerId)).toHaveLength(before);
  });

  it("saves the time zone; with quiet hours set, a new zone changes their meaning and is recorded without renewing the allow", async () => {
    await savePreferences(db, { customerId, values: { troubleshooting: "allow" }, limits: { troubleshooting: { quietHours: { from: "22:00", to: "07:00" }, allowedForDays: 30 } }, lang: "en", method: "portal", now: T0 });
    const zone = companyTimeZone() === "America/New_York" ? "Europe/Paris" : "America/New_York";
    // The zone already in force is no change.
    expect((await savePreferences(db, { customerId, values: {}, timeZone: companyTimeZone(), lang: "en", method: "portal", now: T0 + 1 })).receiptIds).toEqual([]);
    const moved = await savePreferences(db, { customerId, values: {}, timeZone: zone, lang: "en", method: "portal", now: T0 + DAY_MS });
    expect(moved.receiptIds).toHaveLength(1);
    expect(await customerTimeZone(db, customerId)).toBe(zone);
    const [event] = await listConsentEvents(db, customerId);
    expect(parseLimits(event!.limits)!.quietHours).toEqual({ from: "22:00", to: "07:00", timeZone: zone });
    const troubleshooting = (await getPreferences(db, customerId, { now: T0 + DAY_MS })).find((p) => p.key === "troubleshooting")!;
    expect(troubleshooting.allowedUntil).toBe(T0 + 30 * DAY_MS);
    // Without quiet hours anywhere, a zone change is saved but is no consent event.
    await savePreferences(db, { customerId, values: {}, limits: { troubleshooting: null }, lang: "en", method: "portal", now: T0 + 2 * DAY_MS });
    expect((await savePreferences(db, { customerId, values: {}, timeZone: null, lang: "en", method: "portal", now: T0 + 3 * DAY_MS })).receiptIds).toEqual([]);
    const [row] = await db.select({ timeZone: customers.timeZone }).from(customers).where(eq(customers.id, customerId)).limit(1);
    expect(row!.timeZone).toBeNull();
  });

  it("the data export holds the limits, the time zone and the permission sections", async () => {
    await savePreferences(db, { customerId, values: { orders: "allow" }, limits: { orders: { maxAmount: { hundredths: 5000, currency: "EUR" } } }, lang: "en", method: "portal", now: T0 });
    const exported = (await exportCustomerData(db, customerId, "en", T0))!;
    expect(exported.customer.timeZoneInForce).toBe(await customerTimeZone(db, customerId));
    expect(exported.choices.find((c) => c.choice === "orders")!.limits).toEqual({ maxAmount: { amount: 50, currency: "EUR" } });
    expect(exported.consentEvents.find((e) => e.choice === "orders" && e.at === new Date(T0).toISOString())!.limits).toEqual({ maxAmount: { amount: 50, currency: "EUR" } });
    expect(Array.isArray(exported.confirmations) && Array.isArray(exported.trainingUses) && Array.isArray(exported.permissionBreaches)).toBe(true);
  });
});

describe("limits: canonical form and the form schema", () => {
  it("validates and normalises limits", () => {
    expect(limitsProblem({ allowedForDays: 0 })).not.toBeNull();
    expect(limitsProblem({ quietHours: { from: "24:00", to: "07:00" } })).not.toBeNull();
    expect(limitsProblem({ maxAmount: { hundredths: 100, currency: "eur" } })).not.toBeNull();
    expect(limitsProblem({ teleport: true })).not.toBeNull();
    expect(limitsProblem({ channels: ["email"], allowedForDays: 365 })).toBeNull();
    expect(normaliseLimits({})).toBeNull();
    expect(JSON.stringify(normaliseLimits({ allowedForDays: 5, channels: ["sms", "chat"] }))).toBe('{"channels":["chat","sms"],"allowedForDays":5}');
    expect(parseLimits("not json")).toBeNull();
    expect(parseLimits('{"channels":["pigeon"]}')).toBeNull();
  });

  it("reads amounts and times as people type them", () => {
    expect(parseAmount("20")).toBe(2000);
    expect(parseAmount("19.99")).toBe(1999);
    expect(parseAmount(" 19,5 ")).toBe(1950);
    expect(parseAmount("٢٠٫٥")).toBe(2050);
    expect(parseAmount("0")).toBe(0);
    for (const bad of ["1.000,00", "-5", "2.345", "abc", "1e3", ""]) expect(parseAmount(bad), bad).toBeNull();
    expect(amountText(2050, true)).toBe("20,50");
    expect(amountText(2000, false)).toBe("20");
    expect(parseLocalTime("22:00")).toBe("22:00");
    expect(parseLocalTime("07:30:00")).toBe("07:30");
    expect(parseLocalTime("25:00")).toBeNull();
  });

  it("the one schema: valid groups become limits in hundredths, bad ones an error on the field", () => {
    const schema = preferencesSchema({
      choices: [{ key: "orders", kind: "action" }, { key: "training", kind: "training" }],
      timeZones: ["Europe/Paris", "UTC"],
      currencies: ["EUR", "CHF"],
      dayOptions: [30, 90],
    });
    const form = (entries: [string, string][]) => {
      const data = new FormData();
      for (const [k, v] of [["orders", "allow"], ["training", "no"], ["shown", "orders:1,training:1"], ...entries] as [string, string][]) data.append(k, v);
      return parseWithZod(data, { schema });
    };
    const ok = form([["timeZone", "UTC"], ["limits.orders.amount", "20,5"], ["limits.orders.currency", "CHF"], ["limits.orders.channels", "sms"], ["limits.orders.channels", "app"], ["limits.orders.quietFrom", "22:00"], ["limits.orders.quietTo", "07:00"], ["limits.orders.days", "90"]]);
    expect(ok.status).toBe("success");
    expect(formToSave(ok.status === "success" ? ok.value : {})).toEqual({
      values: { orders: "allow", training: "no" },
      limits: { orders: { maxAmount: { hundredths: 2050, currency: "CHF" }, channels: ["app", "sms"], quietHours: { from: "22:00", to: "07:00" }, allowedForDays: 90 } },
      timeZone: "UTC",
      shown: "orders:1,training:1",
    });
    const empty = form([["limits.orders.currency", "EUR"], ["limits.orders.amount", ""]]);
    expect(empty.status === "success" && formToSave(empty.value).limits).toEqual({ orders: null });
    const absent = form([]);
    expect(absent.status === "success" && formToSave(absent.value).limits).toEqual({});
    const bad = form([["timeZone", "Mars/Olympus"], ["limits.orders.amount", "lots"], ["limits.orders.currency", "EUR"], ["limits.orders.quietFrom", "22:00"], ["limits.orders.days", "7"], ["limits.orders.channels", "pigeon"]]);
    expect(bad.status).toBe("error");
    const errors = bad.reply().error ?? {};
    expect(Object.keys(errors).sort()).toEqual(["limits.orders.amount", "limits.orders.channels", "limits.orders.days", "limits.orders.quietTo", "timeZone"]);
    expect(errors["limits.orders.amount"]).toEqual(["common:preferences.limits.errors.amountProblem.notNumber"]);
    expect(errors["limits.orders.quietTo"]).toEqual(["common:preferences.limits.errors.quietBoth"]);
    const same = form([["limits.orders.quietFrom", "08:00"], ["limits.orders.quietTo", "08:00"], ["limits.orders.amount", "5"], ["limits.orders.currency", "XXX"]]);
    expect(same.reply().error).toMatchObject({ "limits.orders.quietTo": ["common:preferences.limits.errors.quietSame"], "limits.orders.currency": ["errors.chooseOne"] });
  });
});
