import { beforeEach, describe, expect, it } from "vitest";
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
import type { Connection } from "../../app/utils/db.server";
import { freshDatabase } from "../support/database";

let db: Connection;
const customerId = "demo-customer-2";

beforeEach(() => {
  db = freshDatabase();
});

describe("choices and preferences", () => {
  it("ships the protective defaults: ask first, no training, human first off", () => {
    const fresh = freshDatabase();
    savePreferences(fresh, { customerId: "demo-customer-1", values: {}, lang: "en", method: "portal" });
    const defaults = Object.fromEntries(listChoices(fresh, "en").map((c) => [c.key, c.defaultValue]));
    expect(defaults["plan-changes"]).toBe("ask");
    expect(defaults.training).toBe("no");
    expect(defaults["human-first"]).toBe("no");
  });

  it("falls back to English notice texts visibly when a language is missing", () => {
    const choices = listChoices(db, "es");
    expect(choices.length).toBeGreaterThan(0);
    expect(choices.every((c) => c.fallback)).toBe(true);
    expect(listChoices(db, "de").every((c) => !c.fallback)).toBe(true);
  });

  it("records one consent event with a receipt per change and bumps the version once", () => {
    const before = getPreferenceVersion(db, customerId);
    const eventsBefore = listConsentEvents(db, customerId).length;
    const { receiptIds, preferenceVersion } = savePreferences(db, {
      customerId,
      values: { "plan-changes": "allow", training: "yes" },
      lang: "de",
      method: "portal",
    });
    expect(receiptIds).toHaveLength(2);
    expect(new Set(receiptIds).size).toBe(2);
    expect(preferenceVersion).toBe(before + 1);
    const events = listConsentEvents(db, customerId);
    expect(events).toHaveLength(eventsBefore + 2);
    const training = events.find((e) => e.receiptId === receiptIds[1])!;
    expect(training).toMatchObject({ choiceKey: "training", value: "yes", previousValue: "no", lang: "de", method: "portal" });
    expect(getPreferences(db, customerId).find((p) => p.key === "plan-changes")?.value).toBe("allow");
  });

  it("records nothing when nothing changed", () => {
    const current = Object.fromEntries(getPreferences(db, customerId).filter((p) => !p.isDefault && !p.needsReconfirmation).map((p) => [p.key, p.value]));
    const before = listConsentEvents(db, customerId).length;
    const result = savePreferences(db, { customerId, values: current, lang: "fr", method: "portal" });
    expect(result.receiptIds).toEqual([]);
    expect(listConsentEvents(db, customerId)).toHaveLength(before);
  });

  it("does not record a pre-selected permission or any untouched default as consent, only a change", () => {
    const fresh = freshDatabase();
    fresh.$client.prepare("update choice_definitions set default_value = 'yes' where key = 'training'").run();
    fresh.$client.prepare("delete from preferences where customer_id = 'demo-customer-1'").run();
    const { receiptIds } = savePreferences(fresh, { customerId: "demo-customer-1", values: { training: "yes", orders: "never", troubleshooting: "ask" }, lang: "en", method: "portal" });
    const events = listConsentEvents(fresh, "demo-customer-1").filter((e) => receiptIds.includes(e.receiptId));
    expect(events.map((e) => e.choiceKey)).toEqual(["orders"]);
    expect(getPreferences(fresh, "demo-customer-1").find((p) => p.key === "training")?.isDefault).toBe(true);
  });

  it("refuses to record agreement to a notice version the customer was not shown", () => {
    publishChoiceNotice(db, { choiceKey: "orders", texts: { en: { label: "Orders", explanation: "New text." } } });
    const before = listConsentEvents(db, customerId).length;
    expect(() =>
      savePreferences(db, { customerId, values: { orders: "allow" }, lang: "en", method: "portal", noticeVersionsShown: { orders: 1 } }),
    ).toThrow(StaleNoticeError);
    expect(listConsentEvents(db, customerId)).toHaveLength(before);
    expect(savePreferences(db, { customerId, values: { orders: "allow" }, lang: "en", method: "portal", noticeVersionsShown: { orders: 2 } }).receiptIds).toHaveLength(1);
  });

  it("rejects unknown choices and values without writing anything", () => {
    const before = listConsentEvents(db, customerId).length;
    expect(() => savePreferences(db, { customerId, values: { "plan-changes": "allow", training: "maybe" }, lang: "en", method: "portal" })).toThrow(InvalidChoiceError);
    expect(() => savePreferences(db, { customerId, values: { teleport: "allow" }, lang: "en", method: "portal" })).toThrow(InvalidChoiceError);
    expect(listConsentEvents(db, customerId)).toHaveLength(before);
    expect(getPreferences(db, customerId).find((p) => p.key === "plan-changes")?.isDefault).toBe(true);
  });

  it("asks to reconfirm a choice made under an older notice, and confirming records it", () => {
    savePreferences(db, { customerId, values: { orders: "never" }, lang: "en", method: "portal" });
    publishChoiceNotice(db, { choiceKey: "orders", texts: { en: { label: "Orders", explanation: "Now includes SIM swaps." } } });
    const orders = getPreferences(db, customerId).find((p) => p.key === "orders")!;
    expect(orders.needsReconfirmation).toBe(true);
    const { receiptIds } = savePreferences(db, { customerId, values: { orders: "never" }, lang: "en", method: "portal" });
    expect(receiptIds).toHaveLength(1);
    expect(getPreferences(db, customerId).find((p) => p.key === "orders")!.needsReconfirmation).toBe(false);
  });

  it("records only what the customer changed: one change among untouched defaults is one event", () => {
    const fresh = freshDatabase();
    const id = "demo-customer-1";
    fresh.$client.prepare("delete from preferences where customer_id = ?").run(id);
    const before = listConsentEvents(fresh, id).length;
    const version = getPreferenceVersion(fresh, id);
    const form = Object.fromEntries(getPreferences(fresh, id).map((p) => [p.key, p.value]));
    const result = savePreferences(fresh, { customerId: id, values: { ...form, orders: "never" }, lang: "en", method: "portal" });
    expect(result.receiptIds).toHaveLength(1);
    expect(result.changes).toBe(1);
    expect(result.preferenceVersion).toBe(version + 1);
    const events = listConsentEvents(fresh, id);
    expect(events).toHaveLength(before + 1);
    expect(events[0]).toMatchObject({ choiceKey: "orders", value: "never", previousValue: null });
    const after = getPreferences(fresh, id);
    expect(after.filter((p) => !p.isDefault).map((p) => p.key)).toEqual(["orders"]);
    expect(after.find((p) => p.key === "training")).toMatchObject({ value: "no", isDefault: true, method: null, updatedAt: null });
    // Saving the same form again: nothing changed, no event, same version.
    const again = savePreferences(fresh, { customerId: id, values: { ...form, orders: "never" }, lang: "en", method: "embed" });
    expect(again).toMatchObject({ receiptIds: [], changes: 0, preferenceVersion: version + 1 });
    expect(listConsentEvents(fresh, id)).toHaveLength(before + 1);
  });

  it("applies Global Privacy Control when preferences are read, without writing anything", () => {
    const fresh = freshDatabase();
    fresh.$client.prepare("update choice_definitions set default_value = 'yes' where key = 'training'").run();
    fresh.$client.prepare("delete from preferences where customer_id = 'demo-customer-1'").run();
    const count = () => fresh.$client.prepare("select (select count(*) from consent_events) + (select count(*) from preferences) as n").get() as { n: number };
    const before = count().n;
    expect(getPreferences(fresh, "demo-customer-1").find((p) => p.key === "training")).toMatchObject({ value: "yes", gpcApplied: false });
    expect(getPreferences(fresh, "demo-customer-1", { gpc: true }).find((p) => p.key === "training")).toMatchObject({ value: "no", isDefault: true, gpcApplied: true });
    expect(count().n).toBe(before);
  });

  it("records Global Privacy Control once, by \"gpc\", and an explicit choice wins over it", () => {
    const fresh = freshDatabase();
    const id = "demo-customer-2";
    // demo-customer-2 chose training explicitly in the seed: GPC does not override it.
    expect(recordGlobalPrivacyControl(fresh, id, "en")).toBeNull();
    fresh.$client.prepare("delete from preferences where customer_id = ? and choice_key = 'training'").run(id);
    expect(recordGlobalPrivacyControl(fresh, id, "en")).not.toBeNull();
    expect(recordGlobalPrivacyControl(fresh, id, "en")).toBeNull();
    const gpcEvents = listConsentEvents(fresh, id).filter((e) => e.method === "gpc");
    expect(gpcEvents).toHaveLength(1);
    expect(gpcEvents[0]).toMatchObject({ choiceKey: "training", value: "no" });
    // Choosing yes explicitly afterwards wins over the signal, which then changes nothing.
    savePreferences(fresh, { customerId: id, values: { training: "yes" }, lang: "en", method: "portal", gpc: true });
    expect(recordGlobalPrivacyControl(fresh, id, "en")).toBeNull();
    expect(getPreferences(fresh, id, { gpc: true }).find((p) => p.key === "training")).toMatchObject({ value: "yes", gpcApplied: false, method: "portal" });
  });

  it("on a save with Global Privacy Control, records the signal for an untouched training choice but does not count it as the customer's change", () => {
    const fresh = freshDatabase();
    const id = "demo-customer-1";
    fresh.$client.prepare("delete from preferences where customer_id = ?").run(id);
    const form = Object.fromEntries(getPreferences(fresh, id, { gpc: true }).map((p) => [p.key, p.value]));
    const result = savePreferences(fresh, { customerId: id, values: { ...form, orders: "allow" }, lang: "de", method: "portal", gpc: true });
    expect(result.changes).toBe(1);
    expect(result.receiptIds).toHaveLength(2);
    const events = listConsentEvents(fresh, id).filter((e) => result.receiptIds.includes(e.receiptId));
    expect(events.map((e) => [e.choiceKey, e.method]).sort()).toEqual([["orders", "portal"], ["training", "gpc"]]);
  });
});
