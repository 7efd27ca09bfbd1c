import { and, count, eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
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
import type { AnyDatabase, Db } from "../../app/utils/db.server";
import { choiceDefinitions, consentEvents, preferences } from "../../db/schema";
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
    const choices = await listChoices(db, "es");
    expect(choices.length).toBeGreaterThan(0);
    expect(choices.every((c) => c.fallback)).toBe(true);
    expect((await listChoices(db, "de")).every((c) => !c.fallback)).toBe(true);
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
    expect((await savePreferences(db, { customerId, values: { orders: "allow" }, lang: "en", method: "portal", noticeVersionsShown: { orders: 2 } })).receiptIds).toHaveLength(1);
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
